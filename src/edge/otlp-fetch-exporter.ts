import { DropCounter, calltraceLogger } from '../safe.js';
import { toOtlpJson, type ExportableSpan } from '../store/otlp-json.js';

/** Options of `OtlpFetchExporter`. */
export interface OtlpFetchExporterOptions {
  /** Collector endpoint. Default: `'http://localhost:4318/v1/traces'`. */
  url?: string;
  /** Extra request headers (e.g. an API key for a hosted backend). Default: none. */
  headers?: Record<string, string>;
  /** Requests in flight at once; more batches are dropped and counted. Default: 32. */
  maxInFlight?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** The OpenTelemetry SDK's `ExportResult` (0 = success, 1 = failed), structurally. */
type ExportResult = { code: 0 | 1; error?: Error };

/**
 * A `SpanExporter` that POSTs OTLP/JSON with `fetch`: for runtimes with `fetch` and nothing
 * else (Cloudflare Workers, Durable Objects). Pair it with the SDK's `SimpleSpanProcessor` or
 * `BatchSpanProcessor` and flush with `ctx.waitUntil(provider.forceFlush())`. Never throws.
 */
export class OtlpFetchExporter {
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;
  readonly #maxInFlight: number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #dropped = new DropCounter('calltrace: OTLP fetch exports');
  #shutdown = false;

  constructor(options: OtlpFetchExporterOptions = {}) {
    this.#url = options.url ?? 'http://localhost:4318/v1/traces';
    this.#headers = { 'content-type': 'application/json', ...options.headers };
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#maxInFlight = options.maxInFlight ?? 32;
  }

  export(spans: ExportableSpan[], done: (result: ExportResult) => void): void {
    if (this.#shutdown || spans.length === 0) return done({ code: this.#shutdown ? 1 : 0 });
    if (this.#inFlight.size >= this.#maxInFlight) {
      this.#dropped.add(spans.length);
      return done({ code: 1, error: new Error('too many exports in flight') });
    }
    const sent = this.#post(spans).then(done);
    const tracked = sent.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }

  /** Resolves when every request in flight has settled. */
  async forceFlush(): Promise<void> {
    await Promise.all([...this.#inFlight]);
  }

  async shutdown(): Promise<void> {
    this.#shutdown = true;
    await this.forceFlush();
    this.#dropped.report();
  }

  async #post(spans: ExportableSpan[]): Promise<ExportResult> {
    try {
      const body = toOtlpJson(spans);
      const res = await this.#fetch(this.#url, {
        method: 'POST',
        headers: this.#headers,
        body,
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) return { code: 0 };
      return { code: 1, error: new Error(`collector answered ${res.status}`) };
    } catch (error) {
      calltraceLogger.debug('OTLP fetch export failed', error);
      return { code: 1, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}
