import type { CallFieldName } from '../store/call-fields.js';
import type { SearchResult } from '../store/call-index.js';
import {
  describedValues,
  formatDuration,
  formatMs,
  formatNumbers,
  formatTime,
  formatWaitSplit,
} from '../store/present.js';
import type { IndexedCall } from '../store/types.js';
import { oneLine } from './escape.js';

/** Fields the block names itself; every other described field with a value goes on the `more` line. */
const NAMED: ReadonlySet<CallFieldName> = new Set<CallFieldName>([
  'callId',
  'callerLast4',
  'calleeLast4',
  'startedAt',
  'endedAt',
  'status',
  'error',
  'errorCount',
  'firstAudioMaxMs',
  'waitOursMs',
  'waitModelMs',
  'provider',
  'providerCallId',
  'traceId',
]);

/** One call per block: when, who (last four digits), how it went, and where the trace is. Every value escaped. */
export function formatCalls(calls: IndexedCall[], found?: Pick<SearchResult, 'readAs'>): string {
  if (calls.length === 0) return `No calls found${found ? ` for this ${found.readAs}` : ''}.\n`;
  const blocks = calls.map((c) => {
    const when = c.startedAt ? `${formatTime(c.startedAt)} UTC` : 'unknown start';
    const errors = c.errorCount ?? (c.error ? 1 : 0);
    const mark = c.error || errors > 0 ? `  ⚠ ${errors || 1} error${errors > 1 ? 's' : ''}` : '';
    const firstAudio =
      c.firstAudioMaxMs === null ? '' : `  first audio ≤ ${formatMs(c.firstAudioMaxMs)}`;
    const via = c.provider
      ? `  via ${c.provider}${c.providerCallId ? ` ${c.providerCallId}` : ''}`
      : '';
    const lines = [
      `${when}  ${c.callId}  ${c.status ?? 'unknown'}${mark}  ${formatDuration(c.durationMs)}${firstAudio}`,
      `  numbers  ${formatNumbers(c)}${via}`,
    ];
    const wait = formatWaitSplit(c);
    if (wait) lines.push(`  wait     ${wait}`);
    lines.push(`  trace    ${c.traceId ?? 'unknown'}`);
    if (c.traceUrl) lines.push(`  link     ${c.traceUrl}`);
    if (c.openaiTraceUrl) lines.push(`  openai   ${c.openaiTraceUrl}`);
    const more = describedValues(c, NAMED);
    if (more.length) lines.push(`  more     ${more.map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    return lines.map(oneLine).join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
