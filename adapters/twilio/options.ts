import type { CallHandle, CallRegistry } from '../kit.js';
import type { TwilioCallOptions } from '../../src/webhooks/twilio-call.js';

export interface TwilioWebhookOptions extends TwilioCallOptions {
  /** Your Twilio auth token; requests whose `X-Twilio-Signature` does not match get 403. */
  authToken: string;
  /**
   * The exact public URL Twilio requested (signatures cover it). Default: the request's own
   * URL — wrong behind a proxy that rewrites host or scheme; set this there.
   */
  publicUrl?: (requestUrl: string) => string;
  /** Where the opened call is registered under its CallSid (for the media stream to find). */
  registry?: CallRegistry;
}

/** The call a verified webhook opened, as the handler sees it. */
export type WebhookCall = CallHandle;
