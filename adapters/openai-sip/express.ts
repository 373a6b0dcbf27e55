import { expressWebhook } from '../webhook/express.js';
import { openaiSipHandler } from './handle.js';
import type { OpenAISipWebhookOptions } from './options.js';
import type { ExpressHandler } from '../../src/http-shapes.js';

/**
 * Express middleware for OpenAI's `realtime.call.incoming` webhook. Needs the raw body: put
 * `express.text({ type: '*\/*' })` in front, or no body parser at all. Verified calls get
 * `res.locals.call` and the rest of the route runs in the `sip.invite` span; other event types
 * pass through with `res.locals.openaiEvent`; bad signatures get 401 and open nothing.
 */
export function openaiSipWebhook(options: OpenAISipWebhookOptions): ExpressHandler {
  return expressWebhook(openaiSipHandler(options));
}
