import type { SearchResult } from '../call-index.js';
import {
  formatDuration,
  formatMs,
  formatNumbers,
  formatTime,
  formatWaitSplit,
  label,
} from '../present.js';
import type { IndexedCall } from '../types.js';
import { escapeHtml, layout } from './html.js';

export interface CallsPageModel {
  basePath: string;
  query: string;
  /** What the index said; undefined before a search. */
  found?: Pick<SearchResult, 'calls' | 'readAs' | 'indexFound'> & { notANumber?: string };
  error?: string;
}

/** The search box and the matching calls, newest first; a call with any error is marked. */
export function renderCallsPage(m: CallsPageModel): string {
  const form = `<h1>Calls</h1>
<form method="get" action="${escapeHtml(m.basePath || '/')}" role="search">
<input type="search" name="q" value="${escapeHtml(m.query)}" placeholder="+1 (555) 010-0100, call id or trace id" aria-label="Phone number, call id or trace id" autofocus>
<button type="submit">Look up</button></form>`;
  let result = '';
  const f = m.found;
  if (m.error) result = `<p class="err" role="alert">${escapeHtml(m.error)}</p>`;
  else if (f && !f.indexFound)
    result = `<p role="status">No call index here yet: nothing has been recorded in this database.</p>`;
  else if (f) {
    const note = f.notANumber
      ? `<p class="note" role="note">Not read as a phone number (${escapeHtml(f.notANumber)}); searched as a call id.</p>`
      : '';
    const count =
      f.calls.length === 0
        ? `No calls found for this ${f.readAs}.`
        : `${f.calls.length} call${f.calls.length === 1 ? '' : 's'} for this ${f.readAs}, newest first.`;
    result = `${note}<p role="status">${count}</p>${f.calls.length ? table(m.basePath, f.calls) : ''}`;
  }
  return layout(m.query ? `Calls: ${m.query}` : 'Calls', form + result);
}

function table(basePath: string, calls: IndexedCall[]): string {
  const rows = calls.map((c) => {
    const errors = c.errorCount ?? (c.error ? 1 : 0);
    const failed = c.error || errors > 0;
    const mark = failed
      ? ` <span class="err badge" title="errors in this call, failed tools included">⚠ ${errors || 1} error${errors > 1 ? 's' : ''}</span>`
      : '';
    const links: string[] = [];
    if (c.traceId)
      links.push(
        `<a class="details" href="${escapeHtml(`${basePath}/trace/${c.traceId}`)}">details</a>`,
      );
    if (c.traceUrl) links.push(`<a href="${escapeHtml(c.traceUrl)}" rel="noreferrer">trace</a>`);
    if (c.openaiTraceUrl)
      links.push(`<a href="${escapeHtml(c.openaiTraceUrl)}" rel="noreferrer">OpenAI</a>`);
    return `<tr data-call-id="${escapeHtml(c.callId)}"${failed ? ' class="error"' : ''}>
<td>${escapeHtml(formatTime(c.startedAt))}</td>
<td>${escapeHtml(c.callId)}</td>
<td>${escapeHtml(formatNumbers(c))}</td>
<td class="num">${escapeHtml(formatDuration(c.durationMs))}</td>
<td class="num">${escapeHtml(formatMs(c.firstAudioMaxMs) || '–')}</td>
<td>${escapeHtml(formatWaitSplit(c) || '–')}</td>
<td>${escapeHtml(c.status ?? '')}${mark}</td>
<td>${links.join(' ')}</td></tr>`;
  });
  const heads = [
    `${label('startedAt')} (UTC)`,
    label('callId'),
    'Numbers',
    'Duration',
    label('firstAudioMaxMs'),
    "Caller's wait: ours · model",
    label('status'),
    'Links',
  ];
  return `<table class="calls"><thead><tr>${heads.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
