import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';

/** A reader the test collects on demand (no timers). */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface Point {
  metric: string;
  attributes: Record<string, unknown>;
  /** A counter's value, or a histogram's sum. */
  value: number;
  count: number;
}

/** A real sdk-metrics MeterProvider with an in-memory pull reader. */
export function setupMetrics() {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async points(): Promise<Point[]> {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length) throw errors[0];
      const out: Point[] = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const m of scope.metrics) {
          for (const p of m.dataPoints as DataPoint<number | Histogram>[]) {
            const v = p.value;
            out.push({
              metric: m.descriptor.name,
              attributes: p.attributes as Record<string, unknown>,
              value: typeof v === 'number' ? v : (v.sum ?? 0),
              count: typeof v === 'number' ? v : v.count,
            });
          }
        }
      }
      return out;
    },
    shutdown: () => provider.shutdown(),
  };
}

/** Points of one metric whose attributes include `match`. */
export function pointsOf(all: Point[], metric: string, match: Record<string, unknown> = {}) {
  return all.filter(
    (p) => p.metric === metric && Object.entries(match).every(([k, v]) => p.attributes[k] === v),
  );
}

export const total = (ps: Point[], field: 'value' | 'count' = 'value') =>
  ps.reduce((s, p) => s + p[field], 0);
