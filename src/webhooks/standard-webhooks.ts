import { readField } from '../read-options.js';
import { fromBase64, hmacBase64, timingSafeEqual, utf8 } from './hmac.js';

/** Why a Standard Webhooks request was refused. */
export type WebhookRejection = 'missing_headers' | 'expired' | 'bad_signature' | 'bad_secret';

export interface StandardWebhookHeaders {
  'webhook-id'?: string;
  'webhook-timestamp'?: string;
  'webhook-signature'?: string;
}

/**
 * Verifies a Standard Webhooks signature (what OpenAI webhooks use): `webhook-signature`
 * holds space-separated `v1,<base64 HMAC-SHA256>` of `${id}.${timestamp}.${rawBody}`, keyed
 * with the secret (`whsec_` + base64). Timestamps more than `toleranceSec` away are refused.
 * Returns null when valid, else the reason. Matches `openai`'s `webhooks.unwrap` (tested).
 */
export async function verifyStandardWebhook(
  secret: string,
  headers: StandardWebhookHeaders,
  rawBody: string,
  { toleranceSec = 300, nowSec = Math.floor(Date.now() / 1000) } = {},
): Promise<WebhookRejection | null> {
  const id = readField(headers, 'webhook-id');
  const timestamp = readField(headers, 'webhook-timestamp');
  const signatures = readField(headers, 'webhook-signature');
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return 'missing_headers';
  if (!id || !timestamp || !signatures || signatures.length > 4096) return 'missing_headers';
  if (typeof secret !== 'string' || !secret) return 'bad_secret';
  const sentAt = Number(timestamp);
  if (!Number.isInteger(sentAt) || Math.abs(nowSec - sentAt) > toleranceSec) return 'expired';
  let key: Uint8Array;
  try {
    key = secret.startsWith('whsec_') ? fromBase64(secret.slice(6)) : utf8(secret);
  } catch {
    return 'bad_secret';
  }
  const expected = await hmacBase64('SHA-256', key, `${id}.${timestamp}.${rawBody}`);
  for (const part of signatures.split(' ')) {
    const [version, signature] = part.split(',', 2);
    if (version === 'v1' && signature && timingSafeEqual(signature, expected)) return null;
  }
  return 'bad_signature';
}
