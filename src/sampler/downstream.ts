import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { calltraceLogger, DropCounter, safely } from '../safe.js';

/** Where kept spans go. Never throws, never rejects. */
export interface Downstream {
  send(spans: readonly ReadableSpan[]): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Exports in flight at once when the sampler wraps an exporter; beyond, batches are dropped. */
export const MAX_EXPORTS_IN_FLIGHT = 256;
/** An export whose callback never comes stops counting as in flight after this. */
export const EXPORT_TIMEOUT_MS = 30_000;

export function toDownstream(next?: SpanProcessor, exporter?: SpanExporter): Downstream {
  if (next) return processorDownstream(next);
  if (exporter) return exporterDownstream(exporter);
  return { send() {}, forceFlush: async () => {}, shutdown: async () => {} };
}

function processorDownstream(next: SpanProcessor): Downstream {
  return {
    send(spans) {
      for (const span of spans) safely('sampler next.onEnd', () => next.onEnd(span));
    },
    forceFlush: () => settle('sampler next.forceFlush', () => next.forceFlush()),
    shutdown: () => settle('sampler next.shutdown', () => next.shutdown()),
  };
}

function exporterDownstream(exporter: SpanExporter): Downstream {
  const inFlight = new Set<Promise<void>>();
  const refused = new DropCounter('calltrace tail sampler: exports in flight');
  const flushExporter = () =>
    settle('sampler exporter.forceFlush', () => exporter.forceFlush?.() ?? Promise.resolve());
  return {
    send(spans) {
      if (spans.length === 0) return;
      if (inFlight.size >= MAX_EXPORTS_IN_FLIGHT) {
        refused.add(spans.length);
        return;
      }
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, EXPORT_TIMEOUT_MS);
        timer.unref?.();
        const finish = () => {
          clearTimeout(timer);
          resolve();
        };
        const started = safely('sampler exporter.export', () => {
          exporter.export([...spans], finish);
          return true;
        });
        if (!started) finish();
      });
      inFlight.add(done);
      void done.then(() => inFlight.delete(done));
    },
    async forceFlush() {
      await Promise.all(inFlight);
      await flushExporter();
      refused.report();
    },
    async shutdown() {
      await Promise.all(inFlight);
      await settle('sampler exporter.shutdown', () => exporter.shutdown());
      refused.report();
    },
  };
}

/** Awaits a host promise (or a sync throw) without letting it reject out of calltrace. */
async function settle(where: string, fn: () => Promise<unknown> | undefined): Promise<void> {
  try {
    await fn();
  } catch (error) {
    calltraceLogger.debug(`${where} failed`, error);
  }
}
