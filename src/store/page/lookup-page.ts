import { readField } from '../../read-options.js';
import type { CallIndex } from '../call-index.js';
import { CallIndexInputError } from '../errors.js';
import { readTraceSpans } from '../otlp-json-file-exporter.js';
import type { TraceSpan } from '../otlp-json.js';
import { PAGE_HEADERS, layout } from './html.js';
import { renderCall } from './render-call.js';
import { renderCallsPage, type CallsPageModel } from './render-calls.js';
import { calltraceLogger } from '../../safe.js';

export interface LookupPageOptions {
  /** The index to search (required). `search` is used when present (it says how the query was read). */
  index?: Pick<CallIndex, 'lookup'> & Partial<Pick<CallIndex, 'search'>>;
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
const MAX_QUERY_CHARS = 1024;

/** Framework-neutral: answers a GET for `path` (relative to where the page is mounted). */
export function createLookupPage(options: LookupPageOptions) {
  if (!readField(options, 'index'))
    throw new TypeError('createLookupPage: pass { index } (a CallIndex from createCallIndex)');
  const spans =
    options.spans ??
    (options.spansFile ? (id: string) => readTraceSpans(options.spansFile!, id) : undefined);
  const index = options.index;
  return async (basePath: string, path: string, q: string | undefined): Promise<PageResponse> => {
    const base = basePath.replace(/\/+$/, '');
    try {
      const trace = TRACE_PATH.exec(path);
      if (trace) {
        const traceId = trace[1]!;
        const [call] = index ? await index.lookup(traceId, { limit: 1 }) : [];
        return page(200, renderCall(base, traceId, call, spans ? await spans(traceId) : undefined));
      }
      if (path !== '/' && path !== '') return page(404, layout('Not found', '<p>Not found</p>'));
      const query = (q ?? '').slice(0, MAX_QUERY_CHARS);
      const model: CallsPageModel = { basePath: base, query };
      if (query.trim() && index) {
        try {
          model.found = index.search
            ? await index.search(query)
            : { calls: await index.lookup(query), readAs: 'call id', indexFound: true };
        } catch (e) {
          if (!(e instanceof CallIndexInputError)) throw e;
          return page(400, renderCallsPage({ ...model, error: e.message }));
        }
      }
      const f = model.found;
      if (f?.notANumber && f.calls.length === 0) {
        const error = `${f.notANumber}; and no call has this id`;
        return page(400, renderCallsPage({ ...model, error }));
      }
      return page(200, renderCallsPage(model));
    } catch (error) {
      calltraceLogger.warn('lookup page: lookup failed', error);
      const query = (q ?? '').slice(0, MAX_QUERY_CHARS);
      const failed = 'lookup failed; see the server log';
      return page(500, renderCallsPage({ basePath: base, query, error: failed }));
    }
  };
}

function page(status: number, body: string): PageResponse {
  return { status, headers: { ...PAGE_HEADERS }, body };
}
