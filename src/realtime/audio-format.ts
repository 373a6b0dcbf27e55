/** Agent audio bytes per ms of playback for 24 kHz PCM16, the Realtime API's default. */
export const DEFAULT_BYTES_PER_MS = 48;

/** Bytes per ms of a session's output audio format (`session.audio.output.format`). */
export function outputBytesPerMs(format: unknown, fallback: number): number {
  if (typeof format === 'string') return format.startsWith('g711') ? 8 : DEFAULT_BYTES_PER_MS;
  if (!format || typeof format !== 'object') return fallback;
  const f = format as { type?: unknown; rate?: unknown };
  if (f.type === 'audio/pcmu' || f.type === 'audio/pcma') return 8;
  if (f.type === 'audio/pcm') {
    return typeof f.rate === 'number' && f.rate > 0 ? (f.rate * 2) / 1000 : DEFAULT_BYTES_PER_MS;
  }
  return fallback;
}

/** How long `base64Chars` of audio plays, in ms. */
export function playbackMs(base64Chars: number, bytesPerMs: number): number {
  return (base64Chars * 0.75) / bytesPerMs;
}
