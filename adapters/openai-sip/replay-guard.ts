import { DropCounter } from '../kit.js';

/** Most webhook ids remembered; the oldest is forgotten (and counted) past it. */
const MAX_IDS = 10_000;

/**
 * Remembers each verified `webhook-id` for the signature tolerance: a replay inside it is
 * refused; after it, the timestamp check refuses it anyway, so the id can go. Bounded.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #evicted = new DropCounter('calltrace: webhook replay guard');

  constructor(
    private readonly ttlSec: number,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** True the first time `id` is seen inside the tolerance; records it. */
  first(id: string): boolean {
    const now = this.now();
    for (const [old, expires] of this.#seen) {
      if (expires > now) break; // insertion order is expiry order
      this.#seen.delete(old);
    }
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, now + this.ttlSec);
    if (this.#seen.size > MAX_IDS) {
      this.#seen.delete(this.#seen.keys().next().value!);
      this.#evicted.add();
    }
    return true;
  }

  forget(id: string): void {
    this.#seen.delete(id);
  }

  get size(): number {
    return this.#seen.size;
  }
}
