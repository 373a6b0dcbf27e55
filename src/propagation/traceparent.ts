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

const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';
/** version-traceid-parentid-flags, lower-case hex, then the end or (a later version) a dash. */
const FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:$|-)/;

export interface Traceparent {
  traceId: string;
  spanId: string;
  /** Only the bits this version defines (sampled, random). */
  traceFlags: number;
}

/**
 * Parses a `traceparent` value, or gives `undefined` (restart the trace). Surrounding spaces
 * and tabs are optional whitespace; version `ff`, all-zero ids, upper-case hex and a `00`
 * header with anything after the flags are invalid; a higher version is read by the version
 * 00 layout and must have a dash or the end after the flags.
 */
export function parseTraceparent(value: string): Traceparent | undefined {
  if (value.length > MAX_TRACEPARENT_LENGTH) return undefined;
  const header = trimOws(value);
  const m = FORMAT.exec(header);
  if (!m) return undefined;
  const version = m[1]!;
  if (version === 'ff' || (version === '00' && header.length !== 55)) return undefined;
  const traceId = m[2]!;
  const spanId = m[3]!;
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: parseInt(m[4]!, 16) & KNOWN_FLAGS };
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
