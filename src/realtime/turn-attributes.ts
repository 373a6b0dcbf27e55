import { SpanStatusCode } from '@opentelemetry/api';
import { TurnAttr } from '../attributes.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '../semconv.js';
import type { Turn } from './turn.js';

const ms = (x: number) => Math.round(x * 10) / 10;

/**
 * Writes a finished turn's latency breakdown and returns the caller's wait for the call's
 * statistics (first audio sent to the caller if the relay reported it, else received), or -1.
 */
export function writeTurnLatency(turn: Turn): number {
  const { span, exchange } = turn;
  if (!exchange) return -1;
  const origin = exchange.speechStoppedAt;
  span.setAttribute(TurnAttr.responseCreatedMs, ms(turn.createdAt - origin));
  const toolMs = turn.toolMsAtFirstAudio >= 0 ? turn.toolMsAtFirstAudio : exchange.toolMs;
  span.setAttribute(TurnAttr.toolMs, ms(toolMs));
  if (!turn.firstAudioAt) return -1;
  const received = turn.firstAudioAt - origin;
  span.setAttribute(TurnAttr.firstAudioMs, ms(received));
  let wait = received;
  let ours = toolMs;
  if (turn.firstAudioSentAt) {
    wait = turn.firstAudioSentAt - origin;
    ours += turn.firstAudioSentAt - turn.firstAudioAt;
    span.setAttribute(TurnAttr.firstAudioSentMs, ms(wait));
  }
  // Only the turn whose audio answered the caller carries the split of the caller's wait.
  if (exchange.firstAudioAt !== turn.firstAudioAt) return -1;
  span.setAttribute(TurnAttr.waitOursMs, ms(ours));
  span.setAttribute(TurnAttr.waitModelMs, ms(Math.max(0, wait - ours)));
  return wait;
}

/** Status, usage and model from the `response.done` event. Returns true when the turn failed. */
export function writeTurnOutcome(turn: Turn, response: Record<string, any> | undefined): boolean {
  const { span } = turn;
  const status: string = turn.interrupted
    ? 'interrupted'
    : String(response?.status ?? 'incomplete');
  span.setAttribute(TurnAttr.status, status);
  const usage = response?.usage;
  if (usage && typeof usage === 'object') {
    if (typeof usage.input_tokens === 'number')
      span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.input_tokens);
    if (typeof usage.output_tokens === 'number')
      span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.output_tokens);
    const inAudio = usage.input_token_details?.audio_tokens;
    const outAudio = usage.output_token_details?.audio_tokens;
    if (typeof inAudio === 'number') span.setAttribute(TurnAttr.inputAudioTokens, inAudio);
    if (typeof outAudio === 'number') span.setAttribute(TurnAttr.outputAudioTokens, outAudio);
  }
  if (typeof response?.model === 'string')
    span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, response.model);
  if (status !== 'failed') return false;
  const error = response?.status_details?.error;
  const type =
    typeof error?.code === 'string'
      ? error.code
      : typeof error?.type === 'string'
        ? error.type
        : 'response_failed';
  span.setAttribute(ATTR_ERROR_TYPE, type.slice(0, 64));
  span.setStatus({ code: SpanStatusCode.ERROR });
  return true;
}
