import { TurnAttr } from '../../attributes.js';
import { ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES } from '../../semconv.js';
import type { TraceSpan } from '../otlp-json.js';
import { escapeHtml } from './html.js';
import { TURN_COLUMNS, readableKey, type Turn } from './turns.js';

const TRANSCRIPT_KEYS = [ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES] as const;
const MAX_TRANSCRIPT_CHARS = 500;

/**
 * One row per caller turn: status and the latency figures under readable names. The
 * transcript column exists only when the app captured content (it is personal data, off by default).
 */
export function renderTurns(turns: Turn[], spans: TraceSpan[]): string {
  if (turns.length === 0) return '';
  const has = (key: string) => turns.some((t) => typeof t.span.attributes[key] === 'number');
  const known = new Set(TURN_COLUMNS.map(([k]) => k));
  const extra = [
    ...new Set(
      turns.flatMap((t) =>
        Object.keys(t.span.attributes).filter(
          (k) =>
            k.startsWith('calltrace.turn.') &&
            k.endsWith('_ms') &&
            !known.has(k) &&
            typeof t.span.attributes[k] === 'number',
        ),
      ),
    ),
  ].sort();
  const columns = [
    ...TURN_COLUMNS.filter(([k]) => has(k)),
    ...extra.map((k) => [k, readableKey(k)] as const),
  ];
  const transcripts = turns.map((t) => transcriptOf(t.span, spans));
  const withTranscript = transcripts.some(Boolean);
  const head = columns.map(([, label]) => `<th>${escapeHtml(label)} (ms)</th>`).join('');
  const rows = turns.map((t, i) => {
    const cells = columns.map(([k]) => {
      const v = t.span.attributes[k];
      return `<td class="num">${typeof v === 'number' ? escapeHtml(v.toFixed(1)) : '–'}</td>`;
    });
    const status = t.span.attributes[TurnAttr.status];
    const transcript = withTranscript
      ? `<td class="transcript">${escapeHtml(transcripts[i] ?? '')}</td>`
      : '';
    return `<tr${t.span.error ? ' class="error"' : ''}><td>Turn ${t.position}</td><td>${escapeHtml(status ?? '')}</td>${cells.join('')}${transcript}</tr>`;
  });
  return `<h2>Turns</h2><table class="turns"><thead><tr><th>Turn</th><th>Status</th>${head}${withTranscript ? '<th>Transcript</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Captured messages of the turn or the spans under it; undefined when nothing was captured. */
function transcriptOf(turn: TraceSpan, spans: TraceSpan[]): string | undefined {
  const under = new Set([turn.spanId]);
  const parts: string[] = [];
  for (const s of spans) {
    // spans are sorted by start time, so a parent is seen before its children
    if (s.spanId !== turn.spanId && !(s.parentSpanId && under.has(s.parentSpanId))) continue;
    under.add(s.spanId);
    for (const key of TRANSCRIPT_KEYS) {
      const v = s.attributes[key];
      if (typeof v === 'string' && v) parts.push(v);
    }
  }
  const text = parts.join(' ');
  return text ? text.slice(0, MAX_TRANSCRIPT_CHARS) : undefined;
}
