import type { TraceState } from '@opentelemetry/api';

/**
 * The W3C `traceparent` header, Trace Context Level 2
 * (https://www.w3.org/TR/trace-context-2/#traceparent-header).
 */

/** trace-flags bits this version defines; every other bit is sent as zero. */
export const FLAG_SAMPLED = 0x01;
export const FLAG_RANDOM = 0x02;
const KNOWN_FLAGS = FLAG_SAMPLED | FLAG_RANDOM;

/** A future version may append fields, but a header this long is hostile, not a version. */
export const MAX_TRACEPARENT_LENGTH = 512;

/** A parsed `traceparent`: already the remote span context (one allocation per parse). */
export interface Traceparent {
  traceId: string;
  spanId: string;
  /** Only the bits this version defines (sampled, random). */
  traceFlags: number;
  isRemote: true;
  traceState?: TraceState;
}

/**
 * Parses a `traceparent` value, or gives `undefined` (restart the trace). Surrounding spaces
 * and tabs are optional whitespace; version `ff`, all-zero ids, upper-case hex and a `00`
 * header with anything after the flags are invalid; a higher version is read by the version
 * 00 layout and must have a dash or the end after the flags. Checked char by char, not by a
 * regular expression: this runs once per incoming request or message.
 */
export function parseTraceparent(value: string): Traceparent | undefined {
  if (value.length > MAX_TRACEPARENT_LENGTH) return undefined;
  const h = value.length === 55 ? value : trimOws(value);
  if (h.length < 55) return undefined;
  const v0 = hex(h.charCodeAt(0));
  const v1 = hex(h.charCodeAt(1));
  if (v0 < 0 || v1 < 0 || (v0 === 15 && v1 === 15)) return undefined; // version ff
  if (v0 === 0 && v1 === 0 ? h.length !== 55 : h.length > 55 && h.charCodeAt(55) !== DASH)
    return undefined;
  if (h.charCodeAt(2) !== DASH || h.charCodeAt(35) !== DASH || h.charCodeAt(52) !== DASH)
    return undefined;
  if (!hexRun(h, 3, 35) || !hexRun(h, 36, 52)) return undefined;
  const f0 = hex(h.charCodeAt(53));
  const f1 = hex(h.charCodeAt(54));
  if (f0 < 0 || f1 < 0) return undefined;
  return {
    traceId: h.slice(3, 35),
    spanId: h.slice(36, 52),
    traceFlags: ((f0 << 4) | f1) & KNOWN_FLAGS,
    isRemote: true,
  };
}

const DASH = 0x2d;

/** The value of a lower-case hex digit, or -1. */
function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** True when s[from, to) is lower-case hex and not all zeros. */
function hexRun(s: string, from: number, to: number): boolean {
  let nonZero = false;
  for (let i = from; i < to; i++) {
    const d = hex(s.charCodeAt(i));
    if (d < 0) return false;
    if (d !== 0) nonZero = true;
  }
  return nonZero;
}

/** A version 00 `traceparent`; flags outside sampled and random are sent as zero. */
export function formatTraceparent(traceId: string, spanId: string, traceFlags: number): string {
  return `00-${traceId}-${spanId}-0${(traceFlags & KNOWN_FLAGS).toString(16)}`;
}

/** Strips spaces and horizontal tabs (RFC 9110 OWS), nothing else. */
export function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

const isOws = (c: number) => c === 0x20 || c === 0x09;
