import type { TraceSpan } from '../otlp-json.js';
import { escapeHtml } from './html.js';
import type { Turn } from './turns.js';

/** The legend of the bars, shown once above the waterfall. */
export const LEGEND = `<p class="legend" aria-label="Legend">
<span><i class="sw bar-span"></i>span</span>
<span><i class="sw bar-error"></i>span that failed</span>
<span><i class="sw wait-ours"></i>caller's wait: ours (tools, relay)</span>
<span><i class="sw wait-model"></i>caller's wait: the model</span></p>`;

/**
 * The trace as a waterfall (indent = depth). Turns are labelled by position; their row also
 * draws the caller's wait from its anchor, split ours | model (shares of the wait: our part
 * is not one block in time, tools run in the middle).
 */
export function renderWaterfall(spans: TraceSpan[], turns: Turn[]): string {
  const t0 = Math.min(...spans.map((s) => s.startMs));
  const total = Math.max(1, Math.max(...spans.map((s) => s.endMs)) - t0);
  const pct = (ms: number) => ((ms / total) * 100).toFixed(2);
  const byId = new Map(turns.map((t) => [t.span.spanId, t]));
  const rows = ordered(spans).map(({ span: s, depth }) => {
    const turn = byId.get(s.spanId);
    const name = turn
      ? `<span class="turn">Turn ${turn.position}</span> <span class="muted">${escapeHtml(s.name)}</span>`
      : escapeHtml(s.name);
    let wait = '';
    if (turn?.anchorMs !== undefined && turn.oursMs !== undefined && turn.modelMs !== undefined) {
      const start = turn.anchorMs - t0;
      wait =
        `<div class="bar wait-ours" title="ours ${turn.oursMs.toFixed(1)} ms" style="left:${pct(start)}%;width:${pct(turn.oursMs)}%"></div>` +
        `<div class="bar wait-model" title="model ${turn.modelMs.toFixed(1)} ms" style="left:${pct(start + turn.oursMs)}%;width:${pct(turn.modelMs)}%"></div>`;
    }
    const cls = s.error ? 'bar-error' : 'bar-span';
    return `<tr class="span${s.error ? ' error' : ''}${turn ? ' turn-row' : ''}" data-span-id="${escapeHtml(s.spanId)}"><td style="padding-left:${depth * 16 + 6}px">${name}</td>
<td class="num">${escapeHtml((s.endMs - s.startMs).toFixed(1))} ms</td>
<td><div class="track"><div class="bar ${cls}" style="left:${pct(s.startMs - t0)}%;width:${pct(s.endMs - s.startMs)}%"></div>${wait}</div></td></tr>`;
  });
  return `<table class="wf"><thead><tr><th>Span</th><th>Duration</th><th>Timeline</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Depth-first order under each parent; spans whose parent is not in the file start at depth 0. */
function ordered(spans: TraceSpan[]): Array<{ span: TraceSpan; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, TraceSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: Array<{ span: TraceSpan; depth: number }> = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      if (seen.has(s.spanId)) continue;
      seen.add(s.spanId);
      out.push({ span: s, depth });
      visit(s.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}
