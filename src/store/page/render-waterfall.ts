import type { TraceSpan } from '../otlp-json.js';
import { escapeHtml, layout } from './html.js';

/** Numeric turn attributes (`calltrace.turn.*_ms`, incl. `wait.ours_ms`) are shown as they come. */
const TURN_PREFIX = 'calltrace.turn.';
const isTurnLatency = (key: string, v: unknown) =>
  key.startsWith(TURN_PREFIX) && key.endsWith('_ms') && typeof v === 'number';

/** The trace as a waterfall (indent = depth) and the per-turn latency breakdown. */
export function renderWaterfall(basePath: string, traceId: string, spans: TraceSpan[]): string {
  const back = `<p><a href="${escapeHtml(basePath || '/')}">← calls</a></p><h1>Trace ${escapeHtml(traceId)}</h1>`;
  if (spans.length === 0)
    return layout('Trace', `${back}<p>No spans of this trace in the local span file.</p>`);
  const t0 = Math.min(...spans.map((s) => s.startMs));
  const total = Math.max(1, Math.max(...spans.map((s) => s.endMs)) - t0);
  const rows = ordered(spans).map(({ span: s, depth }) => {
    const left = ((s.startMs - t0) / total) * 100;
    const width = ((s.endMs - s.startMs) / total) * 100;
    return `<tr class="span${s.error ? ' error' : ''}"><td style="padding-left:${depth * 16 + 6}px">${escapeHtml(s.name)}</td>
<td class="num">${escapeHtml((s.endMs - s.startMs).toFixed(1))} ms</td>
<td><div class="track"><div class="bar${s.error ? ' error' : ''}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></div></div></td></tr>`;
  });
  return layout(
    `Trace ${traceId}`,
    `${back}<table class="wf"><tbody>${rows.join('')}</tbody></table>${turnTable(spans)}`,
  );
}

function turnTable(spans: TraceSpan[]): string {
  const turns = spans.filter((s) =>
    Object.entries(s.attributes).some(([k, v]) => isTurnLatency(k, v)),
  );
  if (turns.length === 0) return '';
  const keys = [
    ...new Set(
      turns.flatMap((s) =>
        Object.keys(s.attributes).filter((k) => isTurnLatency(k, s.attributes[k])),
      ),
    ),
  ].sort();
  const head = keys.map((k) => `<th>${escapeHtml(k.slice(TURN_PREFIX.length))}</th>`).join('');
  const body = turns.map((s) => {
    const cells = keys.map((k) => {
      const v = s.attributes[k];
      return `<td class="num">${typeof v === 'number' ? escapeHtml(v.toFixed(1)) : '–'}</td>`;
    });
    return `<tr><td>${escapeHtml(s.name)}</td>${cells.join('')}</tr>`;
  });
  return `<h2>Per-turn latency (ms)</h2><table class="turns"><thead><tr><th>Turn</th>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
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
