import { plainOptions } from '../read-options.js';
import { hmacBase64, sha256Hex, timingSafeEqual, utf8 } from './hmac.js';

/** A Twilio POST parameter: repeated names (`A=1&A=2`, `Foo[]=…`) carry several values. */
export type TwilioParams = Record<string, string | readonly string[] | undefined>;

/** `HMAC_SHA1` (auth token, the default) or `HMAC_SHA256` (SharedKey webhooks). */
export type TwilioAlgorithm = 'HMAC_SHA1' | 'HMAC_SHA256';

/**
 * The string Twilio signs: the URL, then every parameter sorted by name as name+value; a
 * repeated parameter contributes each distinct value, sorted — exactly what
 * `twilio.getExpectedTwilioSignature` builds (checked on generated requests in the tests).
 */
export function twilioSignedData(url: string, params: TwilioParams): string {
  let data = typeof url === 'string' ? url : '';
  params = plainOptions<TwilioParams>(params);
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (typeof value === 'string') data += name + value;
    else if (Array.isArray(value))
      for (const v of [...new Set(value.filter((x) => typeof x === 'string'))].sort())
        data += name + v;
  }
  return data;
}

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 HMAC, keyed with the auth token,
 * of `twilioSignedData(url, params)`. Like `twilio.validateRequest`, the URL is tried as
 * given, without its port and with the scheme's default port, then WHATWG-normalised. Never
 * throws: anything malformed is `false`.
 */
export async function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
  algorithm: TwilioAlgorithm = 'HMAC_SHA1',
): Promise<boolean> {
  try {
    if (!authToken || typeof authToken !== 'string' || typeof url !== 'string') return false;
    if (typeof signature !== 'string' || !signature || signature.length > 128) return false;
    const hash = algorithm === 'HMAC_SHA256' ? 'SHA-256' : 'SHA-1';
    for (const candidate of candidateUrls(url)) {
      const expected = await hmacBase64(hash, utf8(authToken), twilioSignedData(candidate, params));
      if (timingSafeEqual(expected, signature)) return true;
    }
  } catch {
    // a malformed URL or a platform without Web Crypto: not verified
  }
  return false;
}

/**
 * JSON (and other non-form) bodies: Twilio signs the URL alone, with the body's SHA-256 in
 * its `bodySHA256` query parameter — as `twilio.validateRequestWithBody`. Never throws.
 */
export async function verifyTwilioBody(url: string, body: string): Promise<boolean> {
  try {
    const expected = new URL(url).searchParams.get('bodySHA256') ?? '';
    return timingSafeEqual(await sha256Hex(body), expected);
  } catch {
    return false;
  }
}

function candidateUrls(url: string): string[] {
  const out = new Set([withoutPort(url), withPort(url)]);
  try {
    const normalized = new URL(url).toString();
    out.add(withoutPort(normalized)).add(withPort(normalized));
  } catch {
    // not a URL the platform parses: the raw forms only
  }
  return [...out];
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/** Scheme, authority (user info, host, port) and the rest, without normalising anything. */
function split(url: string) {
  const m = URL_PARTS.exec(url);
  if (!m) return undefined;
  const authority = m[2]!;
  const userEnd = authority.lastIndexOf('@');
  const hostPort = authority.slice(userEnd + 1);
  const portAt = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
  return {
    scheme: m[1]!,
    user: authority.slice(0, userEnd + 1),
    host: portAt === -1 ? hostPort : hostPort.slice(0, portAt),
    port: portAt === -1 ? '' : hostPort.slice(portAt),
    rest: url.slice(m[0].length),
  };
}

function withoutPort(url: string): string {
  const p = split(url);
  return p ? p.scheme + p.user + p.host + p.rest : url;
}

function withPort(url: string): string {
  const p = split(url);
  if (!p || p.port) return url;
  const port = p.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return p.scheme + p.user + p.host + port + p.rest;
}
