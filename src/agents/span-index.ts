/**
 * Open bridged spans by SDK span id. A `Map` here cost 2–6x more per span than this
 * dictionary object: a run keeps only a few spans open, and a Map whose size hovers near zero
 * shrinks and regrows its table on almost every delete/set (measured in
 * bench/agents-bridge.bench.ts: ~300 ns per tool span).
 */
export class SpanIndex<T> {
  #byId: Record<string, T | undefined> = Object.create(null);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: string): T | undefined {
    return this.#byId[id];
  }

  /** Adds an entry; the caller checks it is not there yet. */
  add(id: string, value: T): void {
    this.#byId[id] = value;
    this.#size++;
  }

  /** Removes an entry; true when it was there. */
  delete(id: string): boolean {
    if (this.#byId[id] === undefined) return false;
    delete this.#byId[id];
    this.#size--;
    return true;
  }
}
