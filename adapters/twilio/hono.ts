import { context } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { verifyTwilioSignature } from '../../src/webhooks/twilio-signature.js';
import { openTwilioCall } from '../../src/webhooks/twilio-call.js';
import type { TwilioWebhookOptions } from './options.js';

/**
 * Hono middleware for Twilio's voice webhook. On a valid signature it opens the root `call`
 * and a `sip.invite` span, sets `c.get('call')`, and runs the rest of the route inside the
 * invite; otherwise it answers 403 and opens nothing. Web-standard only (runs on Workers).
 */
export function twilioWebhook(options: TwilioWebhookOptions): MiddlewareHandler {
  return async (c, next) => {
    const params: Record<string, string> = {};
    const form = await c.req.parseBody().catch(() => ({}));
    for (const [k, v] of Object.entries(form)) if (typeof v === 'string') params[k] = v;
    const url = options.publicUrl ? options.publicUrl(c.req.url) : c.req.url;
    const valid = await verifyTwilioSignature(
      options.authToken,
      c.req.header('x-twilio-signature'),
      url,
      params,
    );
    if (!valid) return c.text('Invalid Twilio signature', 403);
    const opened = openTwilioCall(params, options);
    if (params.CallSid) options.registry?.set(params.CallSid, opened.call);
    c.set('call' as never, opened.call as never);
    try {
      await context.with(opened.inviteContext, next);
    } finally {
      opened.endInvite(c.res.status);
    }
  };
}
