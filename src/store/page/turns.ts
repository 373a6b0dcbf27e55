import { TurnAttr, RealtimeEvent } from '../../attributes.js';
import type { TraceSpan } from '../otlp-json.js';

/**
 * The caller's turns of a trace, numbered by position ("Turn 1"…) across the call: the
 * `invoke_agent` exchange spans (they carry `calltrace.turn.index`). Figures are read through
 * the TurnAttr constants; a turn without them (no caller audio, no agent audio) has none.
 */
export interface Turn {
  span: TraceSpan;
  position: number;
  /** When the caller's wait began (speech stopped / input committed), if the span says. */
  anchorMs: number | undefined;
  firstAudioMs: number | undefined;
  oursMs: number | undefined;
  modelMs: number | undefined;
}

const ANCHORS: readonly string[] = [RealtimeEvent.speechStopped, RealtimeEvent.inputCommitted];

export function findTurns(spans: TraceSpan[]): Turn[] {
  return spans
    .filter((s) => typeof s.attributes[TurnAttr.index] === 'number')
    .sort((a, b) => a.startMs - b.startMs)
    .map((span, i) => ({
      span,
      position: i + 1,
      anchorMs: span.events.find((e) => ANCHORS.includes(e.name))?.timeMs,
      firstAudioMs: num(span.attributes[TurnAttr.firstAudioMs]),
      oursMs: num(span.attributes[TurnAttr.waitOursMs]),
      modelMs: num(span.attributes[TurnAttr.waitModelMs]),
    }));
}

/** Readable names of the turn figures, in the order the table shows them. Unknown `*_ms` keys follow, named from their key. */
export const TURN_COLUMNS: ReadonlyArray<[key: string, label: string]> = [
  [TurnAttr.firstAudioMs, "Caller's wait"],
  [TurnAttr.waitOursMs, 'of which ours'],
  [TurnAttr.waitModelMs, 'of which the model'],
  [TurnAttr.toolMs, 'Our tools'],
  [TurnAttr.responseCreatedMs, 'Model started answering'],
  [TurnAttr.firstAudioReceivedMs, 'First audio received'],
  [TurnAttr.firstAudioSentMs, 'First audio sent to caller'],
];

const TURN_PREFIX = 'calltrace.turn.';
/** `calltrace.turn.speech.audio_end_ms` → `Speech audio end` (for figures added later). */
export const readableKey = (key: string): string => {
  const words = key.replace(TURN_PREFIX, '').replace(/_ms$/, '').replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
