import type { Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type {
  ReadableSpan,
  Span,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** An exporter that works, throws, or never answers (until released). */
export class FaultyExporter implements SpanExporter {
  mode: 'ok' | 'throw' | 'hang' = 'ok';
  thrown = 0;
  #hung: Array<(r: ExportResult) => void> = [];

  export(_spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    if (this.mode === 'throw') {
      this.thrown++;
      throw new Error('exporter exploded');
    }
    if (this.mode === 'hang') this.#hung.push(done);
    else done({ code: ExportResultCode.SUCCESS });
  }
  /** Back to healthy; answers the hung exports so shutdown can finish. */
  release(): void {
    this.mode = 'ok';
    this.thrown = 0;
    for (const done of this.#hung.splice(0)) done({ code: ExportResultCode.SUCCESS });
  }
  shutdown = async () => this.release();
  forceFlush = async () => {};
}

/** A place in the pipeline an entry can put its own processor (the sampler, the index). */
export class SlotProcessor implements SpanProcessor {
  inner: SpanProcessor | undefined;
  onStart(span: Span, ctx: Context): void {
    this.inner?.onStart(span, ctx);
  }
  onEnd(span: ReadableSpan): void {
    this.inner?.onEnd(span);
  }
  forceFlush = async () => this.inner?.forceFlush();
  shutdown = async () => this.inner?.shutdown();
}
