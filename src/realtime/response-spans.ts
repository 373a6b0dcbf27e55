import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { ResponseAttr } from '../attributes.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_AUDIO_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_TEXT_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_TEXT_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_TEXT_OUTPUT_TOKENS,
} from '../semconv.js';

/** What a finished response adds to its exchange's usage sums. */
export interface ResponseUsage {
  input: number;
  output: number;
  cacheRead: number;
}

type Json = Record<string, any>;

/** `gen_ai.output.type` from the response's `output_modalities`, when sent. */
export function outputType(response: Json | undefined): string | undefined {
  const modalities = response?.output_modalities;
  if (!Array.isArray(modalities)) return undefined;
  return modalities.includes('audio') ? 'speech' : 'text';
}

export function hasFunctionCall(response: Json | undefined): boolean {
  const output = response?.output;
  return Array.isArray(output) && output.some((item) => item?.type === 'function_call');
}

/**
 * The finish reason of one Realtime response, per the GenAI realtime conventions: the provider's
 * interruption reason when it gives one (`turn_detected`, `client_cancelled`,
 * `max_output_tokens`, `content_filter`), `error` for a failure or a response that never ended.
 */
export function finishReason(response: Json | undefined): string {
  const status = response?.status;
  const reason = response?.status_details?.reason;
  if (status === 'completed') return hasFunctionCall(response) ? 'tool_call' : 'stop';
  if ((status === 'cancelled' || status === 'incomplete') && typeof reason === 'string') {
    return reason.slice(0, 64);
  }
  return 'error';
}

const USAGE_KEYS: Array<[string, (u: Json) => unknown]> = [
  [ATTR_GEN_AI_USAGE_INPUT_TOKENS, (u) => u.input_tokens],
  [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, (u) => u.output_tokens],
  [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, (u) => u.input_token_details?.cached_tokens],
  [ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS, (u) => u.input_token_details?.audio_tokens],
  [ATTR_GEN_AI_USAGE_TEXT_INPUT_TOKENS, (u) => u.input_token_details?.text_tokens],
  [
    ATTR_GEN_AI_USAGE_AUDIO_CACHE_READ_INPUT_TOKENS,
    (u) => u.input_token_details?.cached_tokens_details?.audio_tokens,
  ],
  [
    ATTR_GEN_AI_USAGE_TEXT_CACHE_READ_INPUT_TOKENS,
    (u) => u.input_token_details?.cached_tokens_details?.text_tokens,
  ],
  [ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS, (u) => u.output_token_details?.audio_tokens],
  [ATTR_GEN_AI_USAGE_TEXT_OUTPUT_TOKENS, (u) => u.output_token_details?.text_tokens],
];

const count = (x: unknown) => (typeof x === 'number' && x >= 0 ? x : 0);

/**
 * Ends a `realtime_inference` span from its `response.done` (or, without one, from the session's
 * end reason). Usage goes here and only here. Returns the usage for the exchange's sums and
 * whether the response failed.
 */
export function endResponseSpan(
  span: Span,
  response: Json | undefined,
  endReason: string | undefined,
  endTime: number,
): { usage: ResponseUsage; failed: boolean } {
  const attrs: Attributes = {
    [ResponseAttr.status]: String(response?.status ?? endReason ?? 'incomplete').slice(0, 32),
    [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: [response ? finishReason(response) : 'error'],
  };
  const type = outputType(response);
  if (type) attrs[ATTR_GEN_AI_OUTPUT_TYPE] = type;
  if (typeof response?.model === 'string') attrs[ATTR_GEN_AI_RESPONSE_MODEL] = response.model;
  const usage = response?.usage;
  const sums: ResponseUsage = { input: 0, output: 0, cacheRead: 0 };
  if (usage && typeof usage === 'object') {
    for (const [key, read] of USAGE_KEYS) {
      const value = read(usage);
      if (typeof value === 'number') attrs[key] = value;
    }
    sums.input = count(usage.input_tokens);
    sums.output = count(usage.output_tokens);
    sums.cacheRead = count(usage.input_token_details?.cached_tokens);
  }
  const failed = response?.status === 'failed';
  if (failed) {
    const error = response?.status_details?.error;
    const code = [error?.code, error?.type].find((x) => typeof x === 'string') ?? 'response_failed';
    attrs[ATTR_ERROR_TYPE] = String(code).slice(0, 64);
  }
  span.setAttributes(attrs);
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(endTime);
  return { usage: sums, failed };
}

export const RESPONSE_SPAN_KIND = SpanKind.CLIENT;
