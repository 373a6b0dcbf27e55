import { context } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { handleOpenAISipWebhook } from './handle.js';
import type { OpenAISipWebhookOptions } from './options.js';

/**
 * Express middleware for OpenAI's `realtime.call.incoming` webhook. Needs the raw body: put
 * `express.text({ type: '*\/*' })` in front. Verified calls get `res.locals.call` and the rest
 * of the route runs in the `sip.invite` span; other event types pass through with
 * `res.locals.openaiEvent`; bad signatures get 401 and open nothing.
 */
export function openaiSipWebhook(options: OpenAISipWebhookOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const raw =
      typeof req.body === 'string'
        ? req.body
        : Buffer.isBuffer(req.body)
          ? req.body.toString('utf8')
          : '';
    const headers = {
      'webhook-id': req.get('webhook-id'),
      'webhook-timestamp': req.get('webhook-timestamp'),
      'webhook-signature': req.get('webhook-signature'),
    };
    handleOpenAISipWebhook(raw, headers, options).then((outcome) => {
      if (outcome.kind === 'reject') {
        res.status(outcome.status).type('text/plain').send(outcome.message);
        return;
      }
      res.locals.openaiEvent = outcome.event;
      if (outcome.kind === 'other') return next();
      const { opened } = outcome;
      res.locals.call = opened.call;
      res.once('finish', () => opened.endInvite(res.statusCode));
      res.once('close', () => opened.endInvite(res.statusCode));
      context.with(opened.inviteContext, next);
    }, next);
  };
}
