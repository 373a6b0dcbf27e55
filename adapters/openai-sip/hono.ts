import { honoWebhook } from '../webhook/hono.js';
import { openaiSipHandler } from './handle.js';
import type { OpenAISipWebhookOptions } from './options.js';
import type { HonoHandler } from '../../src/http-shapes.js';

/**
 * Hono middleware for OpenAI's `realtime.call.incoming` webhook. Verified calls get
 * `c.get('call')` and the rest of the route runs in the `sip.invite` span; other event types
 * pass through with `c.get('openaiEvent')`; bad signatures get 401 and open nothing.
 */
export function openaiSipWebhook(options: OpenAISipWebhookOptions): HonoHandler {
  return honoWebhook(openaiSipHandler(options));
}
