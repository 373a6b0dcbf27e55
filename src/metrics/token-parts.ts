/**
 * Token counts split into disjoint parts so that a sum over all points of
 * `gen_ai.client.token.usage` with `gen_ai.token.type=input` is the billed input, and the
 * parts by modality (audio, text) and cache (read from cache or not) add up to it.
 */
export interface TokenPart {
  type: 'input' | 'output';
  modality: 'audio' | 'text' | 'unknown';
  cached: boolean;
  count: number;
}

type Json = Record<string, any>;
const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);

/** From a Realtime `response.done` usage object (input/output_token_details, cached details). */
export function realtimeTokenParts(usage: Json | undefined): TokenPart[] {
  if (!usage || typeof usage !== 'object') return [];
  const parts: TokenPart[] = [];
  const push = (
    type: TokenPart['type'],
    modality: TokenPart['modality'],
    cached: boolean,
    count: number,
  ) => {
    if (count > 0) parts.push({ type, modality, cached, count });
  };
  const input = usage.input_token_details;
  if (input && typeof input === 'object') {
    const cachedDetails = input.cached_tokens_details ?? {};
    const cachedAudio = n(cachedDetails.audio_tokens);
    const cachedText = n(cachedDetails.text_tokens);
    const cachedOther = Math.max(0, n(input.cached_tokens) - cachedAudio - cachedText);
    push('input', 'audio', false, Math.max(0, n(input.audio_tokens) - cachedAudio));
    push('input', 'text', false, Math.max(0, n(input.text_tokens) - cachedText));
    push('input', 'audio', true, cachedAudio);
    push('input', 'text', true, cachedText);
    push('input', 'unknown', true, cachedOther);
  } else {
    push('input', 'unknown', false, n(usage.input_tokens));
  }
  const output = usage.output_token_details;
  if (output && typeof output === 'object') {
    push('output', 'audio', false, n(output.audio_tokens));
    push('output', 'text', false, n(output.text_tokens));
  } else {
    push('output', 'unknown', false, n(usage.output_tokens));
  }
  return parts;
}

/** From a text model's totals (Agents SDK generation/response spans): text only. */
export function textTokenParts(input: unknown, output: unknown, cachedInput: unknown): TokenPart[] {
  const cached = Math.min(n(cachedInput), n(input));
  const parts: TokenPart[] = [];
  if (n(input) - cached > 0)
    parts.push({ type: 'input', modality: 'text', cached: false, count: n(input) - cached });
  if (cached > 0) parts.push({ type: 'input', modality: 'text', cached: true, count: cached });
  if (n(output) > 0)
    parts.push({ type: 'output', modality: 'text', cached: false, count: n(output) });
  return parts;
}
