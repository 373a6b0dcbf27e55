/** The parts of a finished span the tree needs (an SDK `ReadableSpan` fits). */
export interface FinishedSpanLike {
  name: string;
  spanContext(): { traceId: string; spanId: string };
  parentSpanContext?: { spanId: string } | undefined;
  startTime: [number, number];
  endTime: [number, number];
  status: { code: number };
  attributes: Record<string, unknown>;
  events?: Array<{ name: string; time: [number, number]; attributes?: Record<string, unknown> }>;
}

export interface FormatTreeOptions {
  /** Attribute keys shown after each span, when present. Default: none. */
  showAttributes?: string[];
  /** Span event names shown under their span, with their attributes. Default: none. */
  showEvents?: string[];
}

const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;

/**
 * Renders finished spans as an indented tree with start offsets and durations, one trace
 * after another. For terminals and logs in development; spans whose parent is missing are
 * shown as roots.
 */
export function formatTraceTree(
  spans: FinishedSpanLike[],
  options: FormatTreeOptions = {},
): string {
  if (!Array.isArray(spans))
    throw new TypeError('formatTraceTree: pass an array of finished spans');
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const children = new Map<string, FinishedSpanLike[]>();
  const roots: FinishedSpanLike[] = [];
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    if (parent && byId.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(s);
      children.set(parent, list);
    } else roots.push(s);
  }
  const byStart = (a: FinishedSpanLike, b: FinishedSpanLike) => ms(a.startTime) - ms(b.startTime);
  const lines: string[] = [];
  const walk = (
    s: FinishedSpanLike,
    prefix: string,
    last: boolean,
    origin: number,
    depth: number,
  ) => {
    const branch = depth === 0 ? '' : last ? '└─ ' : '├─ ';
    const offset = (ms(s.startTime) - origin).toFixed(0).padStart(6);
    const duration = (ms(s.endTime) - ms(s.startTime)).toFixed(1);
    const error = s.status.code === 2 ? '  ERROR' : '';
    const attrs = (options.showAttributes ?? [])
      .filter((k) => s.attributes[k] !== undefined)
      .map((k) => `${k}=${String(s.attributes[k])}`)
      .join(' ');
    lines.push(
      `${offset} ms  ${prefix}${branch}${s.name}  ${duration} ms${error}${attrs ? '  ' + attrs : ''}`,
    );
    const kids = (children.get(s.spanContext().spanId) ?? []).sort(byStart);
    const nextPrefix = depth === 0 ? '' : prefix + (last ? '   ' : '│  ');
    for (const e of s.events ?? []) {
      if (!options.showEvents?.includes(e.name)) continue;
      const at = (ms(e.time) - origin).toFixed(0).padStart(6);
      const detail = Object.entries(e.attributes ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      const bar = kids.length ? '│  ' : '   ';
      lines.push(
        `${at} ms  ${nextPrefix}${depth === 0 ? '' : bar}· ${e.name}${detail ? ' ' + detail : ''}`,
      );
    }
    kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, origin, depth + 1));
  };
  for (const root of roots.sort(byStart)) {
    lines.push(`trace ${root.spanContext().traceId}`);
    walk(root, '', true, ms(root.startTime), 0);
  }
  return lines.join('\n');
}
