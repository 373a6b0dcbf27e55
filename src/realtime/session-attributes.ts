import type { Attributes } from '@opentelemetry/api';
import { RealtimeAttr } from '../attributes.js';
import { ATTR_ERROR_TYPE, ATTR_EXCEPTION_MESSAGE } from '../semconv.js';

/**
 * The session's turn detection as attributes (`session.audio.input.turn_detection`, GA shape):
 * what decides when the caller has finished, and so what the wait figures cannot see — the
 * silence window before `speech_stopped` (server_vad) or the model's patience (semantic_vad).
 * Returns undefined when the session config does not say.
 */
export function turnDetectionAttributes(session: unknown): Attributes | undefined {
  const input = (session as { audio?: { input?: Record<string, unknown> } })?.audio?.input;
  if (!input || !('turn_detection' in input)) return undefined;
  const td = input.turn_detection as Record<string, unknown> | null;
  if (td === null) return { [RealtimeAttr.turnDetectionType]: 'none' };
  if (!td || typeof td !== 'object') return undefined;
  const attrs: Attributes = {};
  if (typeof td.type === 'string') attrs[RealtimeAttr.turnDetectionType] = td.type.slice(0, 32);
  const numbers: Array<[string, string]> = [
    ['silence_duration_ms', RealtimeAttr.turnDetectionSilenceMs],
    ['prefix_padding_ms', RealtimeAttr.turnDetectionPrefixPaddingMs],
  ];
  for (const [field, key] of numbers) if (typeof td[field] === 'number') attrs[key] = td[field];
  if (typeof td.eagerness === 'string') {
    attrs[RealtimeAttr.turnDetectionEagerness] = td.eagerness.slice(0, 16);
  }
  if (typeof td.interrupt_response === 'boolean') {
    attrs[RealtimeAttr.turnDetectionInterruptResponse] = td.interrupt_response;
  }
  if (typeof td.create_response === 'boolean') {
    attrs[RealtimeAttr.turnDetectionCreateResponse] = td.create_response;
  }
  return attrs;
}

/** A server `error` event as attributes; its message (often quoting input) only with content. */
export function serverErrorAttributes(
  error: Record<string, any> | undefined,
  options: { captureContent: boolean; maxContentLength: number },
): Attributes {
  const attrs: Attributes = {};
  const type = error?.code ?? error?.type;
  if (typeof type === 'string') attrs[ATTR_ERROR_TYPE] = type.slice(0, 64);
  if (options.captureContent && typeof error?.message === 'string') {
    attrs[ATTR_EXCEPTION_MESSAGE] = error.message.slice(0, options.maxContentLength);
  }
  return attrs;
}
