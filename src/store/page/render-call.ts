import type { CallFieldName } from '../call-fields.js';
import type { TraceSpan } from '../otlp-json.js';
import {
  describedValues,
  formatDuration,
  formatNumbers,
  formatTime,
  formatWaitSplit,
  label,
} from '../present.js';
import type { IndexedCall } from '../types.js';
import { escapeHtml, layout } from './html.js';
import { renderTurns } from './render-turns.js';
import { LEGEND, renderWaterfall } from './render-waterfall.js';
import { findTurns } from './turns.js';

/** Fields the header names itself; every other described field with a value follows under "More". */
const HEADER_FIELDS: ReadonlySet<CallFieldName> = new Set<CallFieldName>([
  'callId',
  'callerLast4',
  'calleeLast4',
  'startedAt',
  'endedAt',
  'status',
  'errorCount',
  'error',
  'transport',
  'waitOursMs',
  'waitModelMs',
  'traceId',
  'openaiTraceId',
]);

/** One call: a header from the index, links out, the legend, the waterfall and the turns. */
export function renderCall(
  basePath: string,
  traceId: string,
  call: IndexedCall | undefined,
  spans: TraceSpan[] | undefined,
): string {
  const back = `<p><a href="${escapeHtml(basePath || '/')}">← calls</a></p>`;
  const title = call ? `Call ${call.callId}` : `Trace ${traceId}`;
  let body = `${back}<h1>${escapeHtml(title)}</h1>${header(traceId, call)}`;
  if (!spans) body += `<p>No span file configured: the waterfall needs \`spansFile\`.</p>`;
  else if (spans.length === 0) body += `<p>No spans of this trace in the local span file.</p>`;
  else {
    const turns = findTurns(spans);
    body += `<h2>Waterfall</h2>${LEGEND}${renderWaterfall(spans, turns)}${renderTurns(turns, spans)}`;
  }
  return layout(call ? `${title} — ${formatTime(call.startedAt)} UTC` : title, body);
}

function header(traceId: string, c: IndexedCall | undefined): string {
  if (!c)
    return `<p class="muted">Trace <code>${escapeHtml(traceId)}</code> is not in the call index.</p>`;
  const errors = c.errorCount ?? (c.error ? 1 : 0);
  const items: Array<[string, string, string?]> = [
    [label('callId'), c.callId],
    ['Numbers', formatNumbers(c)],
    [`${label('startedAt')} (UTC)`, formatTime(c.startedAt)],
    ['Duration', formatDuration(c.durationMs)],
    [label('status'), c.status ?? 'unknown'],
    [label('errorCount'), String(errors), errors > 0 || c.error ? 'err' : undefined],
    [label('transport'), c.transport ?? '–'],
    ["Caller's wait", formatWaitSplit(c) || '–'],
  ];
  const more = describedValues(c, HEADER_FIELDS);
  const dl = (rows: Array<[string, string, string?]>) =>
    rows
      .map(
        ([k, v, cls]) =>
          `<div><dt>${escapeHtml(k)}</dt><dd${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</dd></div>`,
      )
      .join('');
  return `<dl class="header">${dl(items)}</dl>${links(traceId, c)}${
    more.length
      ? `<details><summary>More</summary><dl class="header">${dl(more)}</dl></details>`
      : ''
  }`;
}

function links(traceId: string, c: IndexedCall): string {
  const out = [`Trace id <code>${escapeHtml(traceId)}</code>`];
  if (c.traceUrl)
    out.push(
      `<a class="trace-link" href="${escapeHtml(c.traceUrl)}" rel="noreferrer">trace in your backend</a>`,
    );
  if (c.openaiTraceUrl)
    out.push(
      `<a class="openai-link" href="${escapeHtml(c.openaiTraceUrl)}" rel="noreferrer">OpenAI dashboard trace</a>`,
    );
  return `<p class="links">${out.join(' · ')}</p>`;
}
