import { honoWebhook } from '../webhook/hono.js';
import { twilioHandler } from './handle.js';
import type { TwilioWebhookOptions } from './options.js';
import type { HonoHandler } from '../../src/http-shapes.js';

/**
 * Hono middleware for Twilio's voice webhook. On a valid signature it opens the root `call`
 * and a `sip.invite` span, sets `c.get('call')`, and runs the rest of the route inside the
 * invite; otherwise it answers 403 and opens nothing. Web-standard only (runs on Workers).
 */
export function twilioWebhook(options: TwilioWebhookOptions): HonoHandler {
  return honoWebhook(twilioHandler(options));
}
