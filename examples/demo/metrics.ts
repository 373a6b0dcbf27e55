import { metrics } from '@opentelemetry/api';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';

/** Collects on demand, so the demo can print the call's metrics once it is over. */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * A global MeterProvider, as a service would register one (with a Prometheus or OTLP reader
 * instead of this pull reader). calltrace records into whatever is registered globally.
 */
export function setupDemoMetrics() {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  return {
    /** Prints one line per metric series: count, and the sum in its unit. */
    async print(): Promise<void> {
      const { resourceMetrics } = await reader.collect();
      const lines: string[] = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const m of scope.metrics) {
          for (const p of m.dataPoints as DataPoint<number | Histogram>[]) {
            const v = p.value;
            const labels = Object.entries(p.attributes)
              .filter(([k]) => k !== 'gen_ai.provider.name')
              .map(([k, val]) => `${k.split('.').pop()}=${String(val)}`)
              .join(' ');
            const unit = m.descriptor.unit;
            const shown =
              typeof v === 'number'
                ? `${v}`
                : unit === 's'
                  ? `n=${v.count} sum=${Math.round((v.sum ?? 0) * 1000)} ms`
                  : `n=${v.count} sum=${v.sum ?? 0} ${unit}`;
            lines.push(`  ${m.descriptor.name} {${labels}} ${shown}`);
          }
        }
      }
      console.log(`\nMetrics of this call (README "Metrics"):\n${lines.sort().join('\n')}`);
      await provider.shutdown();
    },
  };
}
