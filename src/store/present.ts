import { CALL_FIELDS, FIELD_LIST, type CallFieldName, type Format } from './call-fields.js';
import type { IndexedCall } from './types.js';

/**
 * A call's values as people read them, for the lookup page and the CLI alike: the label and
 * format of each field come from `CALL_FIELDS`, so a new column shows up in both.
 */

/** UTC, to the second: `2026-11-26 10:00:00`. */
export const formatTime = (d: Date | null | undefined): string =>
  d ? d.toISOString().replace('T', ' ').slice(0, 19) : '';

export const formatMs = (v: number | null | undefined): string =>
  v === null || v === undefined
    ? ''
    : v >= 10_000
      ? `${(v / 1000).toFixed(1)} s`
      : `${Math.round(v)} ms`;

/** A call's length: `6.1 s`, `2 min 5 s`; `ongoing` without an end. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'ongoing';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatValue(format: Format, v: unknown): string {
  if (v === null || v === undefined) return '';
  switch (format) {
    case 'time':
      return formatTime(v as Date);
    case 'ms':
      return formatMs(v as number);
    case 'last4':
      return `…${String(v)}`;
    case 'flag':
      return v ? 'yes' : 'no';
    default:
      return String(v);
  }
}

/** `…0100 → …9999`: the numbers as the index keeps them, never more. */
export const formatNumbers = (c: Pick<IndexedCall, 'callerLast4' | 'calleeLast4'>): string =>
  `${c.callerLast4 ? `…${c.callerLast4}` : '?'} → ${c.calleeLast4 ? `…${c.calleeLast4}` : '?'}`;

/** The caller's wait split, `ours 120 ms · model 520 ms`; empty when the call has no figures. */
export function formatWaitSplit(c: Pick<IndexedCall, 'waitOursMs' | 'waitModelMs'>): string {
  if (c.waitOursMs === null && c.waitModelMs === null) return '';
  return `ours ${formatMs(c.waitOursMs ?? 0)} · model ${formatMs(c.waitModelMs ?? 0)}`;
}

/** Every described field of the call that has a value, as [label, text], except `skip`. */
export function describedValues(
  c: IndexedCall,
  skip: ReadonlySet<CallFieldName> = new Set(),
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of FIELD_LIST) {
    if (f.hidden || skip.has(f.name)) continue;
    const text = formatValue(f.format, (c as Record<string, unknown>)[f.name]);
    if (text) out.push([f.label, text]);
  }
  return out;
}

export const label = (name: CallFieldName): string => CALL_FIELDS[name].label;
