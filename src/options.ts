import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { plainOptions } from './read-options.js';

/** What a bridged span is, for `spanNameHook`. */
export interface SpanNameInfo {
  /** The Agents SDK span type (`agent`, `function`, `generation`, …) or a calltrace kind. */
  type: string;
  /** Agent, tool or model name when there is one. */
  name?: string;
}

export interface CallTracingOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /**
   * Where voice and GenAI metrics go (README "Metrics"). Default: the global meter provider;
   * without one registered, recording is a no-op.
   */
  meterProvider?: MeterProvider;
  /** Record tool arguments/results, prompts and completions. Personal data: default false. */
  captureContent?: boolean;
  /** Longest captured content string, in characters; longer values are cut. Default: 4096. */
  maxContentLength?: number;
  /** Most Agents SDK spans open at once; further spans are dropped and counted. Default: 10,000. */
  maxOpenSpans?: number;
  /**
   * Give the first Agents SDK trace of a call the id `trace_<our trace id>` (installs an SDK
   * trace-id generator, which falls back to random ids outside a call). Default: true.
   */
  openaiTraceIds?: boolean;
  /** Rename spans: receives what the span is and calltrace's name; a throw keeps the default. */
  spanNameHook?: (info: SpanNameInfo, defaultName: string) => string;
}

export type ResolvedOptions = Required<
  Omit<CallTracingOptions, 'tracerProvider' | 'meterProvider' | 'spanNameHook'>
> &
  Pick<CallTracingOptions, 'tracerProvider' | 'meterProvider' | 'spanNameHook'>;

export function resolveOptions(raw: CallTracingOptions = {}): ResolvedOptions {
  const o = plainOptions<CallTracingOptions>(raw);
  return {
    tracerProvider: o.tracerProvider,
    meterProvider: o.meterProvider,
    spanNameHook: o.spanNameHook,
    captureContent: o.captureContent ?? false,
    maxContentLength: positive(o.maxContentLength, 4096),
    maxOpenSpans: positive(o.maxOpenSpans, 10_000),
    openaiTraceIds: o.openaiTraceIds ?? true,
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : fallback;
}
