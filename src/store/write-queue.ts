import { DropCounter, calltraceLogger } from '../safe.js';
import type { CallRow } from './types.js';

export interface WriteQueueOptions {
  maxQueueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  maxRetryDelayMs: number;
}

const FIRST_RETRY_MS = 100;

/**
 * Updates waiting for the database, coalesced per call id (later fields win). Off the call's
 * path: `push` only touches a Map. A failed write puts its rows back and retries with backoff,
 * so nothing is lost while the database is down; only calls beyond `maxQueueSize` are dropped.
 */
export class WriteQueue {
  readonly dropped = new DropCounter('call index queue');
  readonly #pending = new Map<string, CallRow>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining: Promise<void> | undefined;
  #retryMs = 0;
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(
    private readonly write: (rows: CallRow[]) => Promise<void>,
    private readonly o: WriteQueueOptions,
  ) {}

  get size(): number {
    return this.#pending.size;
  }

  push(row: CallRow): void {
    if (this.#closed) return;
    const current = this.#pending.get(row.callId);
    if (current) merge(current, row);
    else if (this.#pending.size >= this.o.maxQueueSize) return this.dropped.add();
    else this.#pending.set(row.callId, row); // rows are built per update, so it is ours to keep
    this.#schedule(this.o.flushIntervalMs);
  }

  /** Resolves once everything queued so far is written, or after `timeoutMs`. True when empty. */
  async flush(timeoutMs = 30_000): Promise<boolean> {
    if (this.#pending.size === 0 && !this.#draining) return true;
    const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
    if (!this.#retryMs) this.#schedule(0);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs); // ref'd: an awaited flush keeps a script alive
    });
    await Promise.race([idle, timeout]);
    clearTimeout(timer);
    return this.#pending.size === 0 && !this.#draining;
  }

  /** Stops accepting updates; what is still queued is counted as dropped. Call `flush` first. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pending.size) this.dropped.add(this.#pending.size);
    this.#pending.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.dropped.report();
  }

  #schedule(delayMs: number): void {
    if (this.#draining || this.#closed) return;
    if (this.#timer && delayMs > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#draining = this.#drain().finally(() => {
        this.#draining = undefined;
        if (this.#pending.size === 0) this.#wakeIdle();
        else this.#schedule(this.#retryMs || 0);
      });
    }, delayMs);
    this.#timer.unref?.();
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0 && !this.#closed) {
      const batch: CallRow[] = [];
      for (const [id, row] of this.#pending) {
        batch.push(row);
        this.#pending.delete(id);
        if (batch.length >= this.o.batchSize) break;
      }
      try {
        await this.write(batch);
        this.#retryMs = 0;
      } catch (error) {
        for (const row of batch) this.#putBack(row);
        this.#retryMs = Math.min(this.o.maxRetryDelayMs, (this.#retryMs || FIRST_RETRY_MS / 2) * 2);
        calltraceLogger.debug(`call index write failed; retrying in ${this.#retryMs} ms`, error);
        return;
      }
    }
  }

  /** A failed row goes back under any newer update for the same call. */
  #putBack(row: CallRow): void {
    const newer = this.#pending.get(row.callId);
    if (newer) this.#pending.set(row.callId, merge(row, newer));
    else this.#pending.set(row.callId, row);
  }

  #wakeIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

/** Copies the defined fields of `update` onto `into`; `error` only ever turns on. */
function merge(into: CallRow, update: CallRow): CallRow {
  const target = into as unknown as Record<string, unknown>;
  const source = update as unknown as Record<string, unknown>;
  for (const key in source) {
    const value = source[key]; // for…in: no entry arrays on the call's path
    if (value === undefined) continue;
    if (key === 'error') into.error = Boolean(into.error) || Boolean(value);
    else target[key] = value;
  }
  return into;
}
