import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Which spans a fault hits: by name and instrumentation scope. */
export type SpanMatch = (name: string, scope: string) => boolean;

/**
 * A span processor that throws where it is told to — in `onStart`, in `onEnd` — for the spans
 * that match, standing in for a user's broken exporter pipeline. Counts what it threw.
 */
export class FaultyProcessor implements SpanProcessor {
  onStartFault: SpanMatch | undefined;
  onEndFault: SpanMatch | undefined;
  thrown = 0;

  reset(): void {
    this.onStartFault = undefined;
    this.onEndFault = undefined;
    this.thrown = 0;
  }
  onStart(span: Span, _ctx: Context): void {
    if (this.onStartFault?.(span.name, span.instrumentationScope.name)) {
      this.thrown++;
      throw new Error(`processor onStart exploded on ${span.name}`);
    }
  }
  onEnd(span: ReadableSpan): void {
    if (this.onEndFault?.(span.name, span.instrumentationScope.name)) {
      this.thrown++;
      throw new Error(`processor onEnd exploded on ${span.name}`);
    }
  }
  forceFlush = async () => {};
  shutdown = async () => {};
}

/**
 * Records unhandled rejections and uncaught exceptions while installed, so a test can assert
 * that telemetry left none (vitest would report them, but only at the end of the run).
 */
export function watchProcess() {
  const rejections: unknown[] = [];
  const uncaught: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const onUncaught = (error: unknown) => uncaught.push(error);
  return {
    rejections,
    uncaught,
    install() {
      process.on('unhandledRejection', onRejection);
      process.on('uncaughtException', onUncaught);
    },
    uninstall() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onUncaught);
    },
    clear() {
      rejections.length = 0;
      uncaught.length = 0;
    },
    /** Lets stray promise rejections surface (a macrotask turn) before asserting. */
    settle: () => new Promise((r) => setTimeout(r, 20)),
  };
}
