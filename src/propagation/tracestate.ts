import type { TraceState } from '@opentelemetry/api';
import { trimOws } from './traceparent.js';

/**
 * The W3C `tracestate` header, Trace Context Level 2
 * (https://www.w3.org/TR/trace-context-2/#tracestate-header): at most 32 members; a header
 * with an invalid member or more than 32 members is discarded whole; over 512 characters it is
 * truncated by whole entries (entries over 128 characters first, then from the end).
 */
export const MAX_MEMBERS = 32;
/** What calltrace propagates at most (the spec's "at least 512"), documented in the README. */
export const MAX_TRACESTATE_LENGTH = 512;
const LONG_ENTRY = 128;
/**
 * The longest input read at all: 32 members of a 256-character key and value, with commas and
 * some optional whitespace. Anything longer cannot be valid and is not parsed.
 */
export const MAX_TRACESTATE_INPUT = MAX_MEMBERS * (256 + 1 + 256) + 31 * 3 + 64;

/** key = ( lcalpha / DIGIT ) 0*255 ( keychar ); keychar adds _ - * / @ (Level 2 grammar). */
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
/** value = 0*255(chr) nblk-chr; chr is 0x20-0x7E except `,` and `=`; no trailing space. */
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

export const isValidKey = (key: string): boolean => KEY.test(key);
export const isValidValue = (value: string): boolean => VALUE.test(value);

type Entry = readonly [key: string, value: string];

/**
 * An immutable `tracestate` that follows the Level 2 grammar (OpenTelemetry's `TraceState`
 * interface). Updated and added keys move to the front, as the spec requires.
 */
export class Level2TraceState implements TraceState {
  #serialized: string | undefined;

  constructor(private readonly entries: readonly Entry[]) {}

  get(key: string): string | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }

  set(key: string, value: string): TraceState {
    if (!isValidKey(key) || !isValidValue(value)) return this;
    if (key.length + 1 + value.length > MAX_TRACESTATE_LENGTH) return this;
    const rest = this.entries.filter(([k]) => k !== key);
    return new Level2TraceState(truncate([[key, value], ...rest.slice(0, MAX_MEMBERS - 1)], 1));
  }

  unset(key: string): TraceState {
    if (this.get(key) === undefined) return this;
    return new Level2TraceState(this.entries.filter(([k]) => k !== key));
  }

  serialize(): string {
    this.#serialized ??= this.entries.map(([k, v]) => `${k}=${v}`).join(',');
    return this.#serialized;
  }
}

/**
 * Parses a combined `tracestate` value (several header fields joined by commas). Gives
 * `undefined` — discard the whole header — for an invalid member, more than 32 members or an
 * oversized input; also when no member is left (an empty state is not sent on).
 */
export function parseTraceState(header: string): Level2TraceState | undefined {
  if (header.length > MAX_TRACESTATE_INPUT) return undefined;
  const entries: Entry[] = [];
  for (const raw of header.split(',')) {
    const member = trimOws(raw);
    if (member === '') continue; // empty members are allowed
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!isValidKey(key) || !isValidValue(value)) return undefined;
    if (entries.length === MAX_MEMBERS) return undefined;
    // A duplicated key (the spec lets a vendor discard duplicates): the first one counts.
    if (!entries.some(([k]) => k === key)) entries.push([key, value]);
  }
  const kept = truncate(entries, 0);
  return kept.length ? new Level2TraceState(kept) : undefined;
}

/**
 * Whole entries removed until the combined header fits 512 characters: entries longer than
 * 128 characters first (from the end), then from the end. The first `keep` entries stay.
 */
function truncate(entries: Entry[], keep: number): Entry[] {
  let length = combinedLength(entries);
  if (length <= MAX_TRACESTATE_LENGTH) return entries;
  const out = [...entries];
  for (let i = out.length - 1; i >= keep && length > MAX_TRACESTATE_LENGTH; i--) {
    if (entryLength(out[i]!) > LONG_ENTRY) length -= entryLength(out.splice(i, 1)[0]!) + 1;
  }
  while (length > MAX_TRACESTATE_LENGTH && out.length > keep) length -= entryLength(out.pop()!) + 1;
  return out;
}

const entryLength = ([k, v]: Entry) => k.length + 1 + v.length;
const combinedLength = (entries: readonly Entry[]) =>
  entries.reduce((n, e) => n + entryLength(e), Math.max(0, entries.length - 1));

/**
 * A `TraceState` from anywhere (another propagator's, `createTraceState`, user code) as the
 * header calltrace sends: re-read by the Level 2 rules, or `undefined` when nothing valid
 * is left — an empty `tracestate` is never sent. Never throws.
 */
export function outgoingTraceState(state: TraceState | undefined): string | undefined {
  if (!state) return undefined;
  if (state instanceof Level2TraceState) return state.serialize() || undefined;
  try {
    const serialized = state.serialize();
    return typeof serialized === 'string' ? parseTraceState(serialized)?.serialize() : undefined;
  } catch {
    return undefined;
  }
}
