/** What became of a trace: kept, dropped, or still open but already missing spans. */
export interface Decision {
  /** true: forward; false: drop; undefined: not decided yet (spans were lost to a bound). */
  readonly keep: boolean | undefined;
  /** Set when spans of the trace were lost before the decision (see SamplingAttr.incomplete). */
  readonly incomplete?: string;
}

export const KEEP: Decision = Object.freeze({ keep: true });
export const DROP: Decision = Object.freeze({ keep: false });

interface Entry {
  decision: Decision;
  expiresAt: number;
}

/**
 * Decisions by trace id for spans that end after their trace was decided: an LRU (a Map in
 * insertion order, refreshed on write) with a time to live, both bounded.
 */
export class DecisionCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly maxSize: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(traceId: string): Decision | undefined {
    const entry = this.#entries.get(traceId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(traceId);
      return undefined;
    }
    return entry.decision;
  }

  set(traceId: string, decision: Decision): void {
    this.#entries.delete(traceId);
    this.#entries.set(traceId, { decision, expiresAt: this.now() + this.ttlMs });
    if (this.#entries.size > this.maxSize) {
      // The oldest decision goes: its trace's late spans will be decided afresh.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Drops expired entries from the old end; called from the sampler's sweep. */
  sweep(): void {
    const now = this.now();
    for (const [traceId, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(traceId);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
