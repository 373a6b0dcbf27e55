import { context } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { handleOpenAISipWebhook } from './handle.js';
import type { OpenAISipWebhookOptions } from './options.js';

/**
 * Hono middleware for OpenAI's `realtime.call.incoming` webhook. Verified calls get
 * `c.get('call')` and the rest of the route runs in the `sip.invite` span; other event types
 * pass through with `c.get('openaiEvent')`; bad signatures get 401 and open nothing.
 */
export function openaiSipWebhook(options: OpenAISipWebhookOptions): MiddlewareHandler {
  return async (c, next) => {
    const raw = await c.req.text();
    const outcome = await handleOpenAISipWebhook(
      raw,
      {
        'webhook-id': c.req.header('webhook-id'),
        'webhook-timestamp': c.req.header('webhook-timestamp'),
        'webhook-signature': c.req.header('webhook-signature'),
      },
      options,
    );
    if (outcome.kind === 'reject') return c.text(outcome.message, outcome.status);
    c.set('openaiEvent' as never, outcome.event as never);
    if (outcome.kind === 'other') return next();
    const { opened } = outcome;
    c.set('call' as never, opened.call as never);
    try {
      await context.with(opened.inviteContext, next);
    } finally {
      opened.endInvite(c.res.status);
    }
  };
}
