import type { CallRegistry } from '../kit.js';
import type { OpenAISipCallOptions } from '../../src/webhooks/openai-sip-call.js';

export interface OpenAISipWebhookOptions extends OpenAISipCallOptions {
  /** The webhook's signing secret (`whsec_…`); bad or expired signatures get 401. */
  secret: string;
  /**
   * Allowed clock difference for `webhook-timestamp`, seconds (at most 3600); a `webhook-id`
   * seen again within it is a replay and gets 409. Default: 300.
   */
  toleranceSec?: number;
  /** Where the opened call is registered under its `rtc_…` call id. */
  registry?: CallRegistry;
}
