import type { ExchangeRecord } from './timeline-types.js';

/** One model response as far as the caller's ear is concerned. Pure data. */
export interface ResponseTrack<H> {
  id: string;
  exchange: ExchangeRecord<H>;
  /** When its audio started playing (first delta, relay send, or server buffer start); 0: none. */
  playStart: number;
  /** Audio received as deltas, ms of playback. */
  audioMs: number;
  /** Played by the server (SIP/WebRTC): playing between buffer started and stopped/cleared. */
  buffered: boolean;
  bufferPlaying: boolean;
  /** Playback ended early (cut, interrupted, buffer stopped); 0: not. */
  stoppedAt: number;
  sent: boolean;
}

export function newTrack<H>(id: string, exchange: ExchangeRecord<H>): ResponseTrack<H> {
  return {
    id,
    exchange,
    playStart: 0,
    audioMs: 0,
    buffered: false,
    bufferPlaying: false,
    stoppedAt: 0,
    sent: false,
  };
}

/**
 * Whether the response's audio is still playing at `at`: the server says so (SIP, WebRTC), or
 * (deltas) less time has passed since playback started than the audio received lasts.
 */
export function isPlaying(r: ResponseTrack<unknown>, at: number): boolean {
  if (r.playStart === 0 || r.stoppedAt !== 0) return false;
  return r.buffered ? r.bufferPlaying : at < r.playStart + r.audioMs;
}

/**
 * When an exchange's answer is over, capped at `at`: its last response done, its audio played
 * out (or cut). Undefined when that is not known by `at` (pass Infinity to ask "is it known?").
 */
export function answerEnd<H>(
  x: ExchangeRecord<H>,
  tracks: ReadonlyMap<string, ResponseTrack<H>>,
  at: number,
): number | undefined {
  let end = x.answerDone ? (x.lastDoneAt ?? x.startedAt) : at;
  for (const id of x.responseIds) {
    const r = tracks.get(id);
    if (!r || r.playStart === 0) continue;
    if (r.stoppedAt !== 0) end = Math.max(end, r.stoppedAt);
    else if (!r.buffered) end = Math.max(end, r.playStart + r.audioMs);
    else if (r.bufferPlaying) end = Math.max(end, at);
  }
  return end === Number.POSITIVE_INFINITY ? undefined : Math.min(end, at);
}
