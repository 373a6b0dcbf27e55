import { expressWebhook } from '../webhook/express.js';
import { twilioHandler } from './handle.js';
import type { TwilioWebhookOptions } from './options.js';
import type { ExpressHandler } from '../../src/http-shapes.js';

/**
 * Express middleware for Twilio's voice webhook (after `express.urlencoded({ extended: false })`,
 * or with no body parser: it then reads the body itself). On a valid signature it opens the
 * root `call` and a `sip.invite` span, sets `res.locals.call`, and runs the rest of the route
 * inside the invite; otherwise it answers 403 and opens nothing.
 */
export function twilioWebhook(options: TwilioWebhookOptions): ExpressHandler {
  return expressWebhook(twilioHandler(options));
}
