/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** No scripts at all: the page is plain HTML, and the policy says so to the browser. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin-top:12px}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
th{font-weight:600}.err{color:#b00020}.num{text-align:right;font-variant-numeric:tabular-nums}
tr.error td:first-child{box-shadow:inset 3px 0 #d04a4a}.badge{font-weight:600;margin-left:6px}
.muted{color:#777}.turn{font-weight:600}.note{color:#8a5a00}
dl.header{display:flex;flex-wrap:wrap;gap:6px 28px;margin:8px 0}dl.header dt{font-size:12px;color:#666}dl.header dd{margin:0;font-weight:600}
.wf td{border:0;padding:1px 6px}.track{position:relative;width:600px;height:14px;background:#f3f3f3}
.bar{position:absolute;top:2px;height:10px;min-width:1px}.bar-span{background:#4a7bd0}.bar-error{background:#d04a4a}
.wait-ours{background:#e0892b;top:4px;height:6px}.wait-model{background:#8a63d2;top:4px;height:6px}
.legend span{margin-right:16px}.sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
.sw.bar-span{background:#4a7bd0}.sw.bar-error{background:#d04a4a}.sw.wait-ours{background:#e0892b}.sw.wait-model{background:#8a63d2}
.transcript{max-width:420px;font-size:12px;white-space:pre-wrap}
input[type=search]{width:280px;padding:4px}`;

export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}
