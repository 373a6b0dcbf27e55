import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A user rule: keep the whole trace when it returns true for any of its spans. */
export type SamplingRule = (span: ReadableSpan) => boolean;

/** The collector's default `hash_salt` for the `probabilistic` policy. */
export const DEFAULT_HASH_SALT = 'default-hash-seed';
/** Keep a call whose worst first-audio latency is over this many ms. */
export const DEFAULT_FIRST_AUDIO_THRESHOLD_MS = 1500;
/** Fraction of the remaining calls kept. */
export const DEFAULT_KEEP_RATIO = 0.1;

export interface TailSamplerOptions {
  /** Where kept spans go, e.g. a `BatchSpanProcessor`. Takes precedence over `exporter`. */
  next?: SpanProcessor;
  /** Alternatively an exporter: each decision's spans are exported in one call. */
  exporter?: SpanExporter;
  /** Keep a call with a first-audio latency (call max or any turn) over this. Default: 1500 ms. */
  firstAudioThresholdMs?: number;
  /** Fraction (0–1) of the other calls kept, by trace id. Default: 0.1. */
  keepRatio?: number;
  /** Salt of the trace-id hash; must equal the collector's `hash_salt`. Default: `'default-hash-seed'`. */
  hashSalt?: string;
  /** Extra keep rules over single spans; a rule that throws counts as false. Default: none. */
  rules?: SamplingRule[];
  /** Undecided traces held at once; the oldest is evicted beyond. Default: 5,000. */
  maxTraces?: number;
  /** Spans held per undecided trace; later ones are dropped and counted. Default: 500. */
  maxSpansPerTrace?: number;
  /** Spans held across all undecided traces; the oldest traces are evicted beyond. Default: 50,000. */
  maxBufferedSpans?: number;
  /** An undecided trace whose local root has not ended after this is dropped. Default: 600,000 ms (10 min). */
  traceTimeoutMs?: number;
  /** Decisions remembered for late spans. Default: 50,000. */
  decisionCacheSize?: number;
  /** How long a decision is remembered. Default: 600,000 ms (10 min). */
  decisionTtlMs?: number;
}

export interface ResolvedSamplerOptions {
  firstAudioThresholdMs: number;
  keepRatio: number;
  hashSalt: string;
  rules: SamplingRule[];
  maxTraces: number;
  maxSpansPerTrace: number;
  maxBufferedSpans: number;
  traceTimeoutMs: number;
  decisionCacheSize: number;
  decisionTtlMs: number;
}

/** All defaults in one place; nonsense values fall back to the default. */
export function resolveSamplerOptions(o: TailSamplerOptions = {}): ResolvedSamplerOptions {
  const maxBufferedSpans = count(o.maxBufferedSpans, 50_000);
  return {
    firstAudioThresholdMs: nonNegative(o.firstAudioThresholdMs, DEFAULT_FIRST_AUDIO_THRESHOLD_MS),
    keepRatio: ratio(o.keepRatio, DEFAULT_KEEP_RATIO),
    hashSalt: typeof o.hashSalt === 'string' && o.hashSalt ? o.hashSalt : DEFAULT_HASH_SALT,
    rules: Array.isArray(o.rules) ? o.rules.filter((r) => typeof r === 'function') : [],
    maxTraces: count(o.maxTraces, 5_000),
    maxSpansPerTrace: Math.min(count(o.maxSpansPerTrace, 500), maxBufferedSpans),
    maxBufferedSpans,
    traceTimeoutMs: count(o.traceTimeoutMs, 600_000),
    decisionCacheSize: count(o.decisionCacheSize, 50_000),
    decisionTtlMs: count(o.decisionTtlMs, 600_000),
  };
}

const count = (v: number | undefined, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;
const nonNegative = (v: number | undefined, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
const ratio = (v: number | undefined, fallback: number) =>
  typeof v === 'number' && v >= 0 && v <= 1 ? v : fallback;
