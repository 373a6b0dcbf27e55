import { hmacBase64, timingSafeEqual, utf8 } from './hmac.js';

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 HMAC-SHA1, keyed with the auth
 * token, of the full URL Twilio requested followed by every POST parameter, sorted by name,
 * as name+value. See Twilio's "Webhooks security" docs; checked against `twilio`'s own
 * `validateRequest` in the tests.
 */
export async function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): Promise<boolean> {
  if (
    !authToken ||
    typeof signature !== 'string' ||
    signature.length === 0 ||
    signature.length > 128
  ) {
    return false;
  }
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  const expected = await hmacBase64('SHA-1', utf8(authToken), data);
  return timingSafeEqual(expected, signature);
}
