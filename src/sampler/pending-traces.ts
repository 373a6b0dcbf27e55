import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The spans of one undecided trace, held until its local root ends. */
export interface PendingTrace {
  readonly traceId: string;
  readonly spans: ReadableSpan[];
  /** Local roots started and not yet ended (from onStart); the decision waits for 0. */
  openRoots: number;
  readonly createdAt: number;
  /** Set once a bound dropped some of this trace's spans. */
  incomplete?: string;
}

export type EvictionReason = 'evicted' | 'timeout';

export interface PendingLimits {
  maxTraces: number;
  maxSpansPerTrace: number;
  maxBufferedSpans: number;
}

/**
 * Undecided traces in arrival order, with the three hard bounds: traces held, spans per
 * trace, spans in total. Evicting the oldest trace is the answer to the first and the last.
 */
export class PendingTraces {
  readonly #traces = new Map<string, PendingTrace>();
  #spanCount = 0;

  constructor(
    private readonly limits: PendingLimits,
    /** Told about each trace removed by a bound, with the spans it held. */
    private readonly onEvict: (trace: PendingTrace, reason: EvictionReason) => void,
    /** Told about each span refused by the per-trace bound. */
    private readonly onSpanRefused: () => void,
  ) {}

  get traceCount(): number {
    return this.#traces.size;
  }

  get spanCount(): number {
    return this.#spanCount;
  }

  get(traceId: string): PendingTrace | undefined {
    return this.#traces.get(traceId);
  }

  open(traceId: string, now: number): PendingTrace {
    while (this.#traces.size >= this.limits.maxTraces) this.#evictOldest('evicted');
    const trace: PendingTrace = { traceId, spans: [], openRoots: 0, createdAt: now };
    this.#traces.set(traceId, trace);
    return trace;
  }

  add(trace: PendingTrace, span: ReadableSpan): void {
    if (trace.spans.length >= this.limits.maxSpansPerTrace) {
      trace.incomplete ??= 'span_limit';
      this.onSpanRefused();
      return;
    }
    while (this.#spanCount >= this.limits.maxBufferedSpans) {
      if (!this.#evictOldest('evicted', trace)) break;
    }
    trace.spans.push(span);
    this.#spanCount++;
  }

  /** Removes a trace that has been decided; returns its spans. */
  take(traceId: string): PendingTrace | undefined {
    const trace = this.#traces.get(traceId);
    if (!trace) return undefined;
    this.#traces.delete(traceId);
    this.#spanCount -= trace.spans.length;
    return trace;
  }

  /** Evicts, oldest first, the traces created before `cutoff`. */
  expire(cutoff: number): void {
    for (const trace of this.#traces.values()) {
      if (trace.createdAt > cutoff) break;
      this.take(trace.traceId);
      this.onEvict(trace, 'timeout');
    }
  }

  /** Removes and returns every trace (shutdown). */
  drain(): PendingTrace[] {
    const all = [...this.#traces.values()];
    this.#traces.clear();
    this.#spanCount = 0;
    return all;
  }

  #evictOldest(reason: EvictionReason, spare?: PendingTrace): boolean {
    for (const trace of this.#traces.values()) {
      if (trace === spare) continue;
      this.take(trace.traceId);
      this.onEvict(trace, reason);
      return true;
    }
    return false;
  }
}
