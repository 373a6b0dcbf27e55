import { context } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { declaredTooLarge, readStreamBody, reportFault } from '../kit.js';
import type { WebhookHandler } from './types.js';

/**
 * Binds a framework-free webhook handler to Hono. The body is read as a stream under the
 * handler's cap (a declared or actual larger body is refused with 413 before it is held
 * whole) and put back on the request, so the route can still `c.req.parseBody()` / `json()`.
 * Rejections are answered here; otherwise the route runs inside the `sip.invite` span with
 * `c.get('call')`. Telemetry never changes the route's answer.
 */
export function honoWebhook(handle: WebhookHandler): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (declaredTooLarge(raw.headers.get('content-length'), handle.maxBody))
      return c.text('Body too large', 413);
    const bytes = await readStreamBody(raw.body, handle.maxBody);
    if (!bytes) return c.text('Body too large', 413);
    c.req.raw = new Request(raw, { body: raw.body ? (bytes as BodyInit) : undefined });
    const outcome = await handle({
      url: raw.url,
      header: (name) => raw.headers.get(name) ?? undefined,
      body: new TextDecoder().decode(bytes),
    }).catch((error: unknown) => {
      reportFault('webhook (hono)', error);
      return undefined;
    });
    if (!outcome) return c.text('Webhook failed', 500);
    if (outcome.kind === 'reject') return c.text(outcome.message, outcome.status as 400);
    try {
      for (const [key, value] of Object.entries(outcome.locals))
        c.set(key as never, value as never);
      if (outcome.opened) c.set('call' as never, outcome.opened.call as never);
    } catch (error) {
      reportFault('webhook locals', error);
    }
    try {
      await context.with(outcome.opened?.inviteContext ?? context.active(), next);
    } finally {
      outcome.settle(c.res.status);
    }
  };
}
