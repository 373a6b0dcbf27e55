import type { IndexedCall } from '../store/types.js';

/** One call per block: when, who (last four digits), how it went, and where the trace is. */
export function formatCalls(calls: IndexedCall[]): string {
  if (calls.length === 0) return 'No calls found.\n';
  const blocks = calls.map((c) => {
    const when = c.startedAt?.toISOString().replace('T', ' ').slice(0, 19) ?? 'unknown start';
    const duration = c.durationMs === null ? 'ongoing' : `${(c.durationMs / 1000).toFixed(1)} s`;
    const firstAudio =
      c.firstAudioMaxMs === null ? '' : `  first audio ≤ ${Math.round(c.firstAudioMaxMs)} ms`;
    const lines = [
      `${when} UTC  ${c.callId}  ${c.status ?? 'unknown'}${c.error ? ' (error)' : ''}  ${duration}${firstAudio}`,
      `  numbers  …${c.callerLast4 ?? '????'} → …${c.calleeLast4 ?? '????'}${c.provider ? `  via ${c.provider}` : ''}${c.providerCallId ? ` ${c.providerCallId}` : ''}`,
      `  trace    ${c.traceId ?? 'unknown'}`,
    ];
    if (c.traceUrl) lines.push(`  link     ${c.traceUrl}`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
