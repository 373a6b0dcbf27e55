/**
 * Shared pieces of the per-transport tests (test/realtime-transport-*.test.ts): the span names
 * and attribute keys of the Realtime span model (src/realtime), polling instead of sleeps, and reading one exchange's figures.
 */
import { CallAttr, RealtimeAttr, RealtimeEvent, TurnAttr } from '../../src/attributes.js';
import { ATTR_GEN_AI_RESPONSE_ID } from '../../src/semconv.js';

/** Keys of the span model (src/attributes.ts), short for the assertions. */
export const K = {
  session: 'gen_ai.realtime.session',
  endReason: RealtimeAttr.endReason,
  transport: RealtimeAttr.transport,
  turnIndex: TurnAttr.index,
  turnStatus: TurnAttr.status,
  firstAudioMs: TurnAttr.firstAudioMs,
  firstAudioSource: TurnAttr.firstAudioSource,
  firstAudioReceivedMs: TurnAttr.firstAudioReceivedMs,
  interruptedBy: TurnAttr.interruptedBy,
  bargeIn: RealtimeEvent.bargeIn,
  bargeInElapsedMs: RealtimeEvent.bargeInElapsedMs,
  bargeInAudioEndMs: RealtimeEvent.bargeInAudioEndMs,
  speechStopped: RealtimeEvent.speechStopped,
  outputStarted: RealtimeEvent.outputStarted,
  responseId: ATTR_GEN_AI_RESPONSE_ID,
  callBargeIns: CallAttr.bargeIns,
  callErrors: CallAttr.errors,
} as const;

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `ready()` returns true; the machine may be slow, so no fixed sleeps. */
export async function until(ready: () => boolean, what = 'condition', timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(10);
  }
}

/** What the assertions read of a finished span (a ReadableSpan, or one serialized by a page). */
export interface SpanLike {
  name: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; time: [number, number]; attributes?: Record<string, unknown> }>;
}

/** The exchange spans (`invoke_agent {agent}`) in turn order. */
export function exchanges<S extends SpanLike>(spans: S[], agent: string): S[] {
  return spans
    .filter((s) => s.name === `invoke_agent ${agent}`)
    .sort((a, b) => Number(a.attributes[K.turnIndex]) - Number(b.attributes[K.turnIndex]));
}

/** The barge-in events of a span. */
export const bargeIns = (span: SpanLike) => span.events.filter((e) => e.name === K.bargeIn);

/** Milliseconds between two events a span recorded (first of each name). */
export function msBetween(span: SpanLike, from: string, to: string): number {
  const at = (name: string) => {
    const e = span.events.find((x) => x.name === name);
    if (!e) throw new Error(`no event ${name} on ${span.name}`);
    return e.time[0] * 1e3 + e.time[1] / 1e6;
  };
  return at(to) - at(from);
}
