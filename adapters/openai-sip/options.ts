import type { CallRegistry } from '../../src/call-registry.js';
import type { OpenAISipCallOptions } from '../../src/webhooks/openai-sip-call.js';

export interface OpenAISipWebhookOptions extends OpenAISipCallOptions {
  /** The webhook's signing secret (`whsec_…`); bad or expired signatures get 401. */
  secret: string;
  /** Allowed clock difference for `webhook-timestamp`, seconds. Default: 300. */
  toleranceSec?: number;
  /** Where the opened call is registered under its `rtc_…` call id. */
  registry?: CallRegistry;
}

export const MAX_WEBHOOK_BODY = 256 * 1024;
