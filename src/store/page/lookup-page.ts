import type { CallIndex } from '../call-index.js';
import { CallIndexInputError } from '../errors.js';
import { readTraceSpans } from '../otlp-json-file-exporter.js';
import type { TraceSpan } from '../otlp-json.js';
import type { IndexedCall } from '../types.js';
import { PAGE_HEADERS, layout } from './html.js';
import { renderCallsPage } from './render-calls.js';
import { renderWaterfall } from './render-waterfall.js';

export interface LookupPageOptions {
  /** The index to search (required). */
  index?: Pick<CallIndex, 'lookup'>;
  /** OTLP-JSON lines file written by `OtlpJsonFileExporter`; enables the waterfall. Default: none. */
  spansFile?: string;
  /** Or any source of a trace's spans (takes precedence over `spansFile`). Default: none. */
  spans?: (traceId: string) => Promise<TraceSpan[]>;
}

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TRACE_PATH = /^\/trace\/([0-9a-f]{32})\/?$/;

/** Framework-neutral: answers a GET for `path` (relative to where the page is mounted). */
export function createLookupPage(options: LookupPageOptions) {
  const spans =
    options.spans ??
    (options.spansFile ? (id: string) => readTraceSpans(options.spansFile!, id) : undefined);
  return async (basePath: string, path: string, q: string | undefined): Promise<PageResponse> => {
    const base = basePath.replace(/\/+$/, '');
    const trace = TRACE_PATH.exec(path);
    if (trace && spans) return page(200, renderWaterfall(base, trace[1]!, await spans(trace[1]!)));
    if (path !== '/' && path !== '') return page(404, layout('Not found', '<p>Not found</p>'));
    const query = (q ?? '').slice(0, 1024);
    let calls: IndexedCall[] = [];
    let error: string | undefined;
    if (query.trim() && options.index) {
      try {
        calls = await options.index.lookup(query);
      } catch (e) {
        error = e instanceof CallIndexInputError ? e.message : 'lookup failed; see the server log';
      }
    }
    const status = error ? (error.startsWith('lookup failed') ? 500 : 400) : 200;
    return page(
      status,
      renderCallsPage({ basePath: base, query, calls, error, waterfall: !!spans }),
    );
  };
}

function page(status: number, body: string): PageResponse {
  return { status, headers: { ...PAGE_HEADERS }, body };
}
