import { context } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { declaredTooLarge, readIterableBody, reportFault } from '../kit.js';
import type { WebhookHandler, WebhookRequest } from './types.js';

/**
 * Binds a framework-free webhook handler to Express. The body is taken from a parser in
 * front (`express.text`/`express.raw` give it raw, `express.urlencoded` as fields) or, with
 * no parser, read here under the handler's cap (then `req.body` is the raw text). Rejections
 * are answered here; otherwise the route runs inside the `sip.invite` span with
 * `res.locals.call`. Telemetry never changes the answer: a fault after verification still
 * runs the route, and nothing here can leave an unhandled rejection.
 */
export function expressWebhook(handle: WebhookHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    run(handle, req, res, next).catch((error: unknown) => {
      reportFault('webhook (express)', error);
      if (!res.headersSent) res.status(500).type('text/plain').send('Webhook failed');
    });
  };
}

async function run(handle: WebhookHandler, req: Request, res: Response, next: NextFunction) {
  const request = await toWebhookRequest(req, handle.maxBody);
  const outcome = request ? await handle(request) : undefined;
  if (!outcome || outcome.kind === 'reject') {
    const [status, message] = outcome ? [outcome.status, outcome.message] : [413, 'Body too large'];
    res.status(status).type('text/plain').send(message);
    return;
  }
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    outcome.settle(res.statusCode);
  };
  try {
    Object.assign(res.locals, outcome.locals);
    if (outcome.opened) res.locals.call = outcome.opened.call;
    res.once('finish', settle);
    res.once('close', settle);
  } catch (error) {
    reportFault('webhook locals', error);
  }
  if (outcome.opened) context.with(outcome.opened.inviteContext, next);
  else next();
}

/** The request as handlers see it, or undefined when its body is over `maxBody`. */
async function toWebhookRequest(
  req: Request,
  maxBody: number,
): Promise<WebhookRequest | undefined> {
  const base = {
    url: `${req.protocol}://${req.get('host')}${req.originalUrl}`,
    header: (name: string) => req.get(name),
  };
  const body: unknown = req.body;
  if (typeof body === 'string') return body.length > maxBody ? undefined : { ...base, body };
  if (Buffer.isBuffer(body))
    return body.length > maxBody ? undefined : { ...base, body: body.toString('utf8') };
  if (body && typeof body === 'object') return { ...base, form: body as Record<string, unknown> };
  if (req.readableEnded) return { ...base, body: '' };
  if (declaredTooLarge(req.get('content-length'), maxBody)) return undefined;
  const bytes = await readIterableBody(req, maxBody);
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes);
  req.body = text;
  return { ...base, body: text };
}
