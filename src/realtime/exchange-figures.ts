import type {
  ExchangeRecord,
  ExchangeStatus,
  FirstAudioSource,
  WaitFigures,
} from './timeline-types.js';

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The caller's wait in a finished exchange, or undefined when there is nothing honest to say:
 * no anchor (no caller audio: a greeting, a text message) or no agent audio after it.
 */
export function waitFigures(x: ExchangeRecord): WaitFigures | undefined {
  const anchorAt = x.speechStoppedAt ?? x.committedAt;
  if (anchorAt === undefined) return undefined;
  const received = after(x.firstReceivedAt, anchorAt);
  const started = after(x.outputStartedAt, anchorAt);
  const sent = received !== undefined ? after(x.firstSentAt, received) : undefined;
  let source: FirstAudioSource;
  let firstAt: number;
  if (sent !== undefined) [source, firstAt] = ['relay_sent', sent];
  else if (started !== undefined) [source, firstAt] = ['server_output_buffer_started', started];
  else if (received !== undefined) [source, firstAt] = ['model_audio_received', received];
  else return undefined;
  const relayMs = sent !== undefined && received !== undefined ? sent - received : 0;
  const firstAudioMs = firstAt - anchorAt;
  const oursMs = Math.min(firstAudioMs, x.toolMs + relayMs);
  const figures: WaitFigures = {
    anchor: x.speechStoppedAt !== undefined ? 'speech_stopped' : 'input_committed',
    firstAudioMs: round(firstAudioMs),
    source,
    toolMs: round(x.toolMs),
    oursMs: round(oursMs),
    modelMs: round(firstAudioMs - oursMs),
  };
  if (received !== undefined) figures.receivedMs = round(received - anchorAt);
  if (sent !== undefined) figures.sentMs = round(sent - anchorAt);
  const created = after(x.firstResponseAt, anchorAt);
  if (created !== undefined) figures.responseCreatedMs = round(created - anchorAt);
  return figures;
}

export function exchangeStatus(x: ExchangeRecord): ExchangeStatus {
  if (x.bargeIn || x.interruptions.length > 0) return 'interrupted';
  if (x.failed) return 'failed';
  if (!x.answerDone) return 'unfinished';
  const audio = x.firstReceivedAt !== undefined || x.outputStartedAt !== undefined;
  return audio ? 'answered' : 'no_audio';
}

/** A time that counts only if it is at or after `from`. */
function after(at: number | undefined, from: number): number | undefined {
  return at !== undefined && at >= from ? at : undefined;
}
