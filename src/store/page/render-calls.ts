import type { IndexedCall } from '../types.js';
import { escapeHtml, layout } from './html.js';

export interface CallsPageModel {
  basePath: string;
  query: string;
  calls: IndexedCall[];
  error?: string;
  /** Whether local spans exist, i.e. whether to link the waterfall. */
  waterfall: boolean;
}

/** The search box and the matching calls, newest first. */
export function renderCallsPage(m: CallsPageModel): string {
  const form = `<h1>Calls</h1>
<form method="get" action="${escapeHtml(m.basePath || '/')}" role="search">
<input type="search" name="q" value="${escapeHtml(m.query)}" placeholder="+1 (555) 010-0100, call id or trace id" aria-label="Phone number, call id or trace id" autofocus>
<button type="submit">Look up</button></form>`;
  let result = '';
  if (m.error) result = `<p class="err" role="alert">${escapeHtml(m.error)}</p>`;
  else if (m.query && m.calls.length === 0) result = `<p>No calls found.</p>`;
  else if (m.calls.length) result = table(m);
  return layout(m.query ? `Calls: ${m.query}` : 'Calls', form + result);
}

function table(m: CallsPageModel): string {
  const rows = m.calls.map((c) => {
    const links: string[] = [];
    if (m.waterfall && c.traceId)
      links.push(`<a href="${escapeHtml(`${m.basePath}/trace/${c.traceId}`)}">waterfall</a>`);
    if (c.traceUrl) links.push(`<a href="${escapeHtml(c.traceUrl)}" rel="noreferrer">trace</a>`);
    return `<tr data-call-id="${escapeHtml(c.callId)}">
<td>${escapeHtml(c.startedAt?.toISOString().replace('T', ' ').slice(0, 19) ?? '')}</td>
<td>${escapeHtml(c.callId)}</td>
<td>${escapeHtml(number(c.callerLast4))} → ${escapeHtml(number(c.calleeLast4))}</td>
<td class="num">${escapeHtml(ms(c.durationMs))}</td>
<td class="num">${escapeHtml(ms(c.firstAudioMaxMs))}</td>
<td>${escapeHtml(c.status ?? '')}${c.error ? ' <span class="err">error</span>' : ''}</td>
<td>${links.join(' ')}</td></tr>`;
  });
  return `<table class="calls"><thead><tr><th>Started (UTC)</th><th>Call</th><th>Numbers</th><th>Duration</th><th>First audio (max)</th><th>Status</th><th>Trace</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const number = (last4: string | null) => (last4 ? `…${last4}` : '?');
const ms = (v: number | null) =>
  v === null ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
