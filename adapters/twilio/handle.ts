import { noticeOnce, plainOptions, reportFault } from '../kit.js';
import {
  verifyTwilioBody,
  verifyTwilioSignature,
  type TwilioParams,
} from '../../src/webhooks/twilio-signature.js';
import { openTwilioCall, type TwilioVoiceParams } from '../../src/webhooks/twilio-call.js';
import {
  MAX_WEBHOOK_BODY,
  reject,
  type WebhookHandler,
  type WebhookRequest,
} from '../webhook/types.js';
import type { TwilioWebhookOptions } from './options.js';

/**
 * Twilio's voice webhook, framework-free: checks `X-Twilio-Signature` over the URL and every
 * form parameter (repeated ones included), or over the URL and `bodySHA256` for JSON bodies;
 * a valid request opens the root `call` and its `sip.invite` span. Never throws.
 */
export function twilioHandler(options: TwilioWebhookOptions): WebhookHandler {
  const { authToken, publicUrl, registry, ...callOptions } =
    plainOptions<TwilioWebhookOptions>(options);
  if (!authToken)
    noticeOnce('twilio-no-token', 'twilioWebhook: no authToken, every request gets 403');
  const handle = async (req: WebhookRequest) => {
    const url = signedUrl(req.url, publicUrl);
    const algorithm = /algorithm\s*=\s*HMAC_SHA256/i.test(
      req.header('x-twilio-webhooks-signature-settings') ?? '',
    )
      ? 'HMAC_SHA256'
      : 'HMAC_SHA1';
    const signature = req.header('x-twilio-signature');
    const bodyHashed = url.includes('bodySHA256');
    const params = bodyHashed ? {} : formParams(req);
    const valid =
      params !== undefined &&
      (await verifyTwilioSignature(authToken ?? '', signature, url, params, algorithm)) &&
      (!bodyHashed || (req.body !== undefined && (await verifyTwilioBody(url, req.body))));
    if (!valid) return reject(403, 'Invalid Twilio signature');
    const voice = firstValues(params ?? {});
    const opened = openTwilioCall(voice, callOptions);
    if (voice.CallSid) registry?.set?.(voice.CallSid, opened.call);
    return { kind: 'pass' as const, locals: {}, opened, settle: opened.endInvite };
  };
  return Object.assign(handle, { maxBody: MAX_WEBHOOK_BODY });
}

/** The URL Twilio signed: `publicUrl(requestUrl)` when set; a throwing hook keeps the request's. */
function signedUrl(requestUrl: string, publicUrl: TwilioWebhookOptions['publicUrl']): string {
  if (typeof publicUrl !== 'function') return requestUrl;
  try {
    const url = publicUrl(requestUrl);
    return typeof url === 'string' ? url : requestUrl;
  } catch (error) {
    reportFault('twilio publicUrl', error);
    return requestUrl;
  }
}

/** The POST parameters, every value of a repeated name kept; undefined when unreadable. */
function formParams(req: WebhookRequest): TwilioParams | undefined {
  const params: Record<string, string | string[]> = {};
  if (req.body !== undefined) {
    for (const [name, value] of new URLSearchParams(req.body)) {
      const prev = params[name];
      params[name] = prev === undefined ? value : [...[prev].flat(), value];
    }
    return params;
  }
  for (const [name, value] of Object.entries(req.form ?? {})) {
    if (typeof value === 'string') params[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      params[name] = value;
    else return undefined; // nested (qs `extended: true`): not what Twilio signed
  }
  return params;
}

function firstValues(params: TwilioParams): TwilioVoiceParams {
  const out: TwilioVoiceParams = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' ? v : v?.[0];
  return out;
}
