/**
 * HMAC with Web Crypto (Node ≥ 20, browsers, Workers), so webhook verification runs on any
 * runtime the Hono adapter runs on. Constant-time comparison of the base64 signatures.
 */
const encoder = new TextEncoder();

export async function hmacBase64(
  hash: 'SHA-1' | 'SHA-256',
  key: Uint8Array,
  message: string,
): Promise<string> {
  const cryptoKey = await globalThis.crypto.subtle.importKey(
    'raw',
    key as BufferSource,
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const signature = await globalThis.crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message));
  return toBase64(new Uint8Array(signature));
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Compares without an early exit, so timing does not reveal how much of a guess matched. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Hex SHA-256 of a UTF-8 string (Twilio's `bodySHA256`). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
