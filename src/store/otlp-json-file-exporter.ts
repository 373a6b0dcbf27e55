import { createReadStream } from 'node:fs';
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { DropCounter, calltraceLogger } from '../safe.js';
import { spansFromOtlpJson, toOtlpJson, type ExportableSpan, type TraceSpan } from './otlp-json.js';

/** ExportResultCode of @opentelemetry/core, copied so that no SDK package is needed at runtime. */
const SUCCESS = 0;
const FAILED = 1;

export interface OtlpJsonFileExporterOptions {
  /** File to append to, one OTLP/JSON request per line. Default: `.calltrace/spans.jsonl`. */
  path?: string;
  /** Stop writing (and count what is dropped) once the file is this big. Default: 100 MB. */
  maxFileBytes?: number;
}

/**
 * For development: appends finished spans to a file as OTLP/JSON lines (the Collector's file
 * exporter format), so that the lookup page can draw a call's waterfall without a backend.
 * Use with a BatchSpanProcessor.
 */
export class OtlpJsonFileExporter {
  readonly path: string;
  readonly #maxBytes: number;
  readonly #dropped = new DropCounter('OTLP-JSON file exporter');
  #written: Promise<unknown> = Promise.resolve();
  #bytes: number | undefined;

  constructor(options: OtlpJsonFileExporterOptions = {}) {
    this.path = options.path ?? '.calltrace/spans.jsonl';
    this.#maxBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
  }

  export(spans: ExportableSpan[], done: (result: { code: number; error?: Error }) => void): void {
    this.#written = this.#written.then(async () => {
      try {
        const line = toOtlpJson(spans) + '\n';
        this.#bytes ??= await stat(this.path).then(
          (s) => s.size,
          () => 0,
        );
        if (this.#bytes + line.length > this.#maxBytes) {
          this.#dropped.add(spans.length);
          return done({ code: FAILED, error: new Error('span file full') });
        }
        await mkdir(dirname(this.path), { recursive: true });
        await appendFile(this.path, line);
        this.#bytes += Buffer.byteLength(line);
        done({ code: SUCCESS });
      } catch (error) {
        calltraceLogger.debug('OTLP-JSON file export failed', error);
        done({ code: FAILED, error: error as Error });
      }
    });
  }

  async forceFlush(): Promise<void> {
    await this.#written;
  }

  async shutdown(): Promise<void> {
    await this.#written;
    this.#dropped.report();
  }
}

/** Most spans read back for one trace. */
const MAX_TRACE_SPANS = 10_000;

/** Reads the spans of one trace from an OTLP-JSON lines file; [] if the file is missing. */
export async function readTraceSpans(path: string, traceId: string): Promise<TraceSpan[]> {
  const out: TraceSpan[] = [];
  let input;
  try {
    input = createReadStream(path, { encoding: 'utf8' });
    await new Promise((resolve, reject) => input!.once('open', resolve).once('error', reject));
  } catch {
    return out;
  }
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.includes(traceId)) continue;
    try {
      out.push(...spansFromOtlpJson(line, traceId));
    } catch {
      // a torn or foreign line is skipped
    }
    if (out.length >= MAX_TRACE_SPANS) break;
  }
  input.destroy();
  return out.slice(0, MAX_TRACE_SPANS).sort((a, b) => a.startMs - b.startMs);
}
