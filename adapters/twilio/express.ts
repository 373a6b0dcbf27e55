import { context } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { verifyTwilioSignature } from '../../src/webhooks/twilio-signature.js';
import { openTwilioCall } from '../../src/webhooks/twilio-call.js';
import type { TwilioWebhookOptions } from './options.js';

/**
 * Express middleware for Twilio's voice webhook. Put a form body parser in front
 * (`express.urlencoded({ extended: false })`). On a valid signature it opens the root `call`
 * and a `sip.invite` span, sets `res.locals.call`, and runs the rest of the route inside the
 * invite; otherwise it answers 403 and opens nothing.
 */
export function twilioWebhook(options: TwilioWebhookOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const params = stringParams(req.body);
    const ownUrl = `${req.protocol}://${req.get('host')}${req.originalUrl}`;
    const url = options.publicUrl ? options.publicUrl(ownUrl) : ownUrl;
    verifyTwilioSignature(options.authToken, req.get('x-twilio-signature'), url, params).then(
      (valid) => {
        if (!valid) {
          res.status(403).type('text/plain').send('Invalid Twilio signature');
          return;
        }
        const opened = openTwilioCall(params, options);
        if (params.CallSid) options.registry?.set(params.CallSid, opened.call);
        res.locals.call = opened.call;
        res.once('finish', () => opened.endInvite(res.statusCode));
        res.once('close', () => opened.endInvite(res.statusCode));
        context.with(opened.inviteContext, next);
      },
      next,
    );
  };
}

function stringParams(body: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (!body || typeof body !== 'object') return params;
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v;
  return params;
}
