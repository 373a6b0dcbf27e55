import { noticeOnce, plainOptions } from '../kit.js';
import { verifyStandardWebhook } from '../../src/webhooks/standard-webhooks.js';
import { openOpenAISipCall } from '../../src/webhooks/openai-sip-call.js';
import {
  MAX_WEBHOOK_BODY,
  reject,
  type WebhookHandler,
  type WebhookRequest,
} from '../webhook/types.js';
import type { OpenAISipWebhookOptions } from './options.js';
import { ReplayGuard } from './replay-guard.js';

/**
 * OpenAI's webhook, framework-free: verifies the Standard Webhooks signature (401 on a bad or
 * expired one, or with no secret), refuses a replayed `webhook-id` inside the tolerance, and
 * for `realtime.call.incoming` opens the root `call` and its `sip.invite` span. Other event
 * types pass through. Never throws.
 */
export function openaiSipHandler(options: OpenAISipWebhookOptions): WebhookHandler {
  const { secret, toleranceSec, registry, ...callOptions } =
    plainOptions<OpenAISipWebhookOptions>(options);
  const tolerance =
    typeof toleranceSec === 'number' && toleranceSec > 0 ? Math.min(toleranceSec, 3600) : 300;
  const replays = new ReplayGuard(tolerance);
  if (!secret)
    noticeOnce('openai-sip-no-secret', 'openaiSipWebhook: no secret, every request gets 401');
  const handle = async (req: WebhookRequest) => {
    const raw = req.body;
    if (raw === undefined)
      return reject(400, 'Needs the raw body: use express.text({ type: "*/*" })');
    if (typeof secret !== 'string' || !secret) return reject(401, 'Invalid webhook: no secret');
    const id = req.header('webhook-id');
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': req.header('webhook-timestamp'),
      'webhook-signature': req.header('webhook-signature'),
    };
    const rejection = await verifyStandardWebhook(secret, headers, raw, {
      toleranceSec: tolerance,
    });
    if (rejection) return reject(401, `Invalid webhook: ${rejection}`);
    let event: Record<string, any>;
    try {
      event = JSON.parse(raw);
    } catch {
      return reject(400, 'Body is not JSON');
    }
    if (!event || typeof event !== 'object') return reject(400, 'Event is not an object');
    const incoming = event.type === 'realtime.call.incoming';
    const data = event.data;
    if (incoming && (!data || typeof data !== 'object' || Array.isArray(data)))
      return reject(400, 'realtime.call.incoming without data');
    if (!replays.first(id!)) return reject(409, 'Replayed webhook-id');
    const forget = (status: number) => {
      if (status >= 500) replays.forget(id!); // the sender retries a failure: let it through
    };
    if (!incoming) return { kind: 'pass' as const, locals: { openaiEvent: event }, settle: forget };
    const opened = openOpenAISipCall(data, callOptions);
    if (typeof data.call_id === 'string') registry?.set?.(data.call_id, opened.call);
    const settle = (status: number) => {
      opened.endInvite(status);
      forget(status);
    };
    return { kind: 'pass' as const, locals: { openaiEvent: event }, opened, settle };
  };
  return Object.assign(handle, { maxBody: MAX_WEBHOOK_BODY });
}
