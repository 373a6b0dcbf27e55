import type { Context } from '@opentelemetry/api';
import { plainOptions } from '../read-options.js';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SamplingAttr } from '../attributes.js';
import { DropCounter, safely } from '../safe.js';
import { DecisionCache, DROP, KEEP, type Decision } from './decision-cache.js';
import { toDownstream, type Downstream } from './downstream.js';
import { withAttribute } from './marked-span.js';
import {
  resolveSamplerOptions,
  type ResolvedSamplerOptions,
  type TailSamplerOptions,
} from './options.js';
import { PendingTraces, type EvictionReason, type PendingTrace } from './pending-traces.js';
import { isLocalRoot, keepReason } from './policies.js';
import { traceIdRatio } from './trace-id-ratio.js';

/** Counts for tests, dashboards and the benchmark. */
export interface TailSamplerStats {
  bufferedTraces: number;
  bufferedSpans: number;
  decisions: number;
  /** Spans of undecided traces evicted by `maxTraces` or `maxBufferedSpans`. */
  evictedSpans: number;
  /** Spans refused by `maxSpansPerTrace`. */
  overLimitSpans: number;
  /** Spans of undecided traces dropped by `traceTimeoutMs`. */
  timedOutSpans: number;
}

/**
 * A SpanProcessor that keeps whole calls: errors, slow first audio, user rules, and a fraction
 * of the rest chosen by trace id. See the README section "Keeping the calls that matter".
 */
export class CallTailSampler implements SpanProcessor {
  readonly #o: ResolvedSamplerOptions;
  readonly #downstream: Downstream;
  readonly #decisions: DecisionCache;
  readonly #pending: PendingTraces;
  readonly #ratioKeeps: (traceId: string) => boolean;
  readonly #sweepTimer: ReturnType<typeof setInterval>;
  readonly #evicted = new DropCounter('calltrace tail sampler: spans of evicted traces');
  readonly #overLimit = new DropCounter('calltrace tail sampler: spans over maxSpansPerTrace');
  readonly #timedOut = new DropCounter('calltrace tail sampler: spans of timed-out traces');
  #shutdown: Promise<void> | undefined;

  constructor(raw: TailSamplerOptions = {}) {
    const options = plainOptions<TailSamplerOptions>(raw);
    const o = (this.#o = resolveSamplerOptions(options));
    this.#downstream = toDownstream(options.next, options.exporter);
    this.#decisions = new DecisionCache(o.decisionCacheSize, o.decisionTtlMs);
    this.#pending = new PendingTraces(
      o,
      (trace, reason) => this.#evict(trace, reason),
      () => this.#overLimit.add(),
    );
    this.#ratioKeeps = traceIdRatio(o.keepRatio, o.hashSalt);
    const every = Math.min(1_000, Math.max(10, o.traceTimeoutMs / 2));
    this.#sweepTimer = setInterval(() => safely('sampler sweep', () => this.#sweep()), every);
    this.#sweepTimer.unref?.();
  }

  onStart(span: Span, _parentContext: Context): void {
    if (this.#shutdown || !isLocalRoot(span)) return;
    safely('sampler onStart', () => this.#rootStarted(span.spanContext().traceId));
  }

  onEnd(span: ReadableSpan): void {
    if (this.#shutdown) return;
    safely('sampler onEnd', () => this.#ended(span));
  }

  /** Flushes what was kept through the next processor or exporter. Undecided calls stay held. */
  async forceFlush(): Promise<void> {
    this.#report();
    await this.#downstream.forceFlush();
  }

  /** Forwards every undecided trace marked `shutdown`, then shuts the next stage down. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      clearInterval(this.#sweepTimer);
      for (const trace of this.#pending.drain()) this.#forward(trace.spans, 'shutdown');
      this.#decisions.clear();
      this.#report();
      await this.#downstream.shutdown();
    })();
    return this.#shutdown;
  }

  stats(): TailSamplerStats {
    return {
      bufferedTraces: this.#pending.traceCount,
      bufferedSpans: this.#pending.spanCount,
      decisions: this.#decisions.size,
      evictedSpans: this.#evicted.count,
      overLimitSpans: this.#overLimit.count,
      timedOutSpans: this.#timedOut.count,
    };
  }

  #rootStarted(traceId: string): void {
    // Decided, or already cut by a bound (then never held again: see #ended).
    if (this.#decisions.get(traceId)) return;
    let trace = this.#pending.get(traceId);
    if (!trace) {
      if (this.#ratioKeeps(traceId)) return this.#decisions.set(traceId, KEEP);
      trace = this.#pending.open(traceId, Date.now());
    }
    trace.openRoots++;
  }

  #ended(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const decided = this.#decisions.get(traceId);
    if (decided?.keep === true) return this.#forward([span], decided.incomplete);
    if (decided?.keep === false) return;
    const trace = this.#pending.get(traceId);
    if (!trace && !decided && this.#ratioKeeps(traceId)) {
      this.#decisions.set(traceId, KEEP);
      return this.#forward([span]);
    }
    // Every policy is a test on one span, so a call is kept the moment it qualifies and the
    // rest of it streams through: a long call is never held whole.
    if (keepReason(span, this.#o)) return this.#keep(traceId, span, decided);
    if (isLocalRoot(span) && (!trace || --trace.openRoots <= 0)) {
      this.#pending.take(traceId);
      return this.#decisions.set(traceId, DROP);
    }
    if (trace) return this.#pending.add(trace, span);
    if (decided) {
      // A bound already cut this trace: holding the rest would only evict whole calls for a
      // partial one (and under overload, thrash). Its spans pass only if it qualifies.
      return (decided.incomplete === 'timeout' ? this.#timedOut : this.#evicted).add();
    }
    this.#pending.add(this.#pending.open(traceId, Date.now()), span);
  }

  #keep(traceId: string, span: ReadableSpan, decided: Decision | undefined): void {
    const trace = this.#pending.take(traceId);
    const incomplete = trace?.incomplete ?? decided?.incomplete;
    this.#decisions.set(traceId, incomplete ? { keep: true, incomplete } : KEEP);
    this.#forward(trace ? [...trace.spans, span] : [span], incomplete);
  }

  #forward(spans: readonly ReadableSpan[], incomplete?: string): void {
    const marked = incomplete
      ? spans.map((s) => withAttribute(s, SamplingAttr.incomplete, incomplete))
      : spans;
    this.#downstream.send(marked);
  }

  /** A bound removed an undecided trace: its spans are dropped, the loss remembered. */
  #evict(trace: PendingTrace, reason: EvictionReason): void {
    if (trace.spans.length > 0) {
      (reason === 'timeout' ? this.#timedOut : this.#evicted).add(trace.spans.length);
    }
    this.#decisions.set(trace.traceId, { keep: undefined, incomplete: reason });
  }

  #sweep(): void {
    this.#pending.expire(Date.now() - this.#o.traceTimeoutMs);
    this.#decisions.sweep();
  }

  #report(): void {
    this.#evicted.report();
    this.#overLimit.report();
    this.#timedOut.report();
  }
}

/** A tail-sampling span processor for calls; wrap your BatchSpanProcessor or exporter in it. */
export function callTailSampler(options: TailSamplerOptions = {}): CallTailSampler {
  return new CallTailSampler(options);
}
