import type { Span } from '@opentelemetry/api';
import { UsageAggregateAttr } from './attributes.js';
import {
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from './semconv.js';

/** Token counts of one model call, whatever OpenAI API reported them. */
export interface TokenUsage {
  input?: number;
  output?: number;
  /** Part of `input` served from the prompt cache. */
  cachedInput?: number;
  /** Part of `output` spent on reasoning. */
  reasoningOutput?: number;
}

type Obj = Record<string, unknown> | undefined;

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;

/**
 * Reads the usage shapes OpenAI APIs and the Agents SDK emit:
 * Responses and Realtime (`input_tokens`, `input_tokens_details` / Realtime's
 * `input_token_details` `.cached_tokens`), Chat Completions (`prompt_tokens`,
 * `prompt_tokens_details.cached_tokens`), SDK turn/task usage (`cached_input_tokens`) and the
 * SDK's camelCase `Usage`. Anything else gives an empty result.
 */
export function readUsage(value: unknown): TokenUsage {
  const u = obj(value);
  if (!u) return {};
  const inDetails = obj(u.input_tokens_details ?? u.input_token_details ?? u.prompt_tokens_details);
  const outDetails = obj(u.output_tokens_details ?? u.completion_tokens_details);
  return {
    input: num(u.input_tokens ?? u.prompt_tokens ?? u.inputTokens),
    output: num(u.output_tokens ?? u.completion_tokens ?? u.outputTokens),
    cachedInput: num(inDetails?.cached_tokens ?? u.cached_input_tokens),
    reasoningOutput: num(outDetails?.reasoning_tokens),
  };
}

/** `gen_ai.usage.*` on an inference span (chat, realtime response): the only place they go. */
export function setInferenceUsage(span: Span, usage: TokenUsage): void {
  if (usage.input !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.input);
  if (usage.output !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.output);
  if (usage.cachedInput !== undefined)
    span.setAttribute(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedInput);
  if (usage.reasoningOutput !== undefined)
    span.setAttribute(ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningOutput);
}

/** `calltrace.usage.*` sums on a span that groups inference spans (workflow, agent, turn). */
export function setAggregateUsage(span: Span, usage: TokenUsage): void {
  if (usage.input !== undefined) span.setAttribute(UsageAggregateAttr.inputTokens, usage.input);
  if (usage.output !== undefined) span.setAttribute(UsageAggregateAttr.outputTokens, usage.output);
  if (usage.cachedInput !== undefined)
    span.setAttribute(UsageAggregateAttr.cacheReadInputTokens, usage.cachedInput);
}
