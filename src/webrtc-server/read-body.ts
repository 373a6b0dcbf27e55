/**
 * Bounded body readers: stop at `maxBytes` instead of buffering whatever a client sends.
 * Return the bytes, or `undefined` when the body is larger (or the stream broke).
 */

/** Reads a Node request (any async iterable of chunks). */
export async function readIterableBody(
  source: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size > maxBytes) return undefined;
      chunks.push(bytes);
    }
  } catch {
    return undefined;
  }
  return concat(chunks, size);
}

/** Reads a web `ReadableStream` (Fetch `Request.body`), cancelling it past the bound. */
export async function readStreamBody(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  return concat(chunks, size);
}

/** True when a declared `content-length` already exceeds the bound. */
export function declaredTooLarge(contentLength: string | null | undefined, maxBytes: number) {
  const n = contentLength ? Number(contentLength) : NaN;
  return Number.isFinite(n) && n > maxBytes;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
