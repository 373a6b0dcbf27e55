import {
  verifyStandardWebhook,
  type StandardWebhookHeaders,
} from '../../src/webhooks/standard-webhooks.js';
import { openOpenAISipCall } from '../../src/webhooks/openai-sip-call.js';
import type { InvitedCall } from '../../src/webhooks/open-invite.js';
import { MAX_WEBHOOK_BODY, type OpenAISipWebhookOptions } from './options.js';

/** What the framework bindings do with a webhook request. */
export type SipWebhookOutcome =
  | { kind: 'reject'; status: 400 | 401 | 413; message: string }
  | { kind: 'other'; event: Record<string, unknown> }
  | { kind: 'call'; event: Record<string, unknown>; opened: InvitedCall };

/** Verifies, parses and (for `realtime.call.incoming`) opens the call. Framework-free. */
export async function handleOpenAISipWebhook(
  rawBody: string,
  headers: StandardWebhookHeaders,
  options: OpenAISipWebhookOptions,
): Promise<SipWebhookOutcome> {
  if (rawBody.length > MAX_WEBHOOK_BODY)
    return { kind: 'reject', status: 413, message: 'Body too large' };
  const rejection = await verifyStandardWebhook(options.secret, headers, rawBody, {
    toleranceSec: options.toleranceSec ?? 300,
  });
  if (rejection) return { kind: 'reject', status: 401, message: `Invalid webhook: ${rejection}` };
  let event: Record<string, any>;
  try {
    event = JSON.parse(rawBody);
  } catch {
    return { kind: 'reject', status: 400, message: 'Body is not JSON' };
  }
  if (event?.type !== 'realtime.call.incoming' || typeof event.data !== 'object')
    return { kind: 'other', event };
  const { secret: _s, toleranceSec: _t, registry, ...callOptions } = options;
  const opened = openOpenAISipCall(event.data, callOptions);
  if (typeof event.data.call_id === 'string') registry?.set(event.data.call_id, opened.call);
  return { kind: 'call', event, opened };
}
