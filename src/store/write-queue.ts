import { DropCounter, calltraceLogger } from '../safe.js';
import { CALL_FIELDS, type CallRow } from './call-fields.js';

export interface WriteQueueOptions {
  maxQueueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  maxRetryDelayMs: number;
}

const FIRST_RETRY_MS = 100;

/**
 * SQLSTATE classes that blame the rows, not the database: 22 data exception (NUL in text, a
 * date out of range), 23 integrity constraint violation, 54 program limit exceeded. Anything
 * else (connection refused, shutdown, 08/57 classes) means "retry later".
 */
const ROW_ERROR = /^(22|23|54)/;
export const isRowError = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  ROW_ERROR.test((error as { code: string }).code);

/**
 * Updates waiting for the database, coalesced per call id (later fields win). Off the call's
 * path: `push` only touches a Map. A failed write puts its rows back and retries with backoff,
 * so nothing is lost while the database is down; only calls beyond `maxQueueSize` are dropped.
 */
export class WriteQueue {
  readonly dropped = new DropCounter('call index queue');
  /** Rows the database refused (counted in `dropped` too). */
  refused = 0;
  readonly #pending = new Map<string, CallRow>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining: Promise<void> | undefined;
  #retryMs = 0;
  #inFlight = 0;
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(
    private readonly write: (rows: CallRow[]) => Promise<void>,
    private readonly o: WriteQueueOptions,
  ) {}

  /** Calls waiting, including those in a write that has not finished. */
  get size(): number {
    return this.#pending.size + this.#inFlight;
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
    // A write still in flight is counted too: if it fails now, nothing will retry it.
    if (this.size) this.dropped.add(this.size);
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
      this.#inFlight = batch.length;
      try {
        await this.#writeIsolating(batch);
        this.#retryMs = 0;
      } catch (error) {
        if (this.#closed) return; // counted as dropped by close()
        for (const row of batch) this.#putBack(row);
        this.#retryMs = Math.min(this.o.maxRetryDelayMs, (this.#retryMs || FIRST_RETRY_MS / 2) * 2);
        calltraceLogger.debug(`call index write failed; retrying in ${this.#retryMs} ms`, error);
        return;
      } finally {
        this.#inFlight = 0;
      }
    }
  }

  /**
   * Writes a batch; when the database blames the rows, halves it until the bad row is alone,
   * drops that row (counted) and writes every other. A batch of n with one bad row costs about
   * 2·log2(n) extra statements. Connection errors are rethrown: the whole batch is retried.
   */
  async #writeIsolating(batch: CallRow[]): Promise<void> {
    try {
      await this.write(batch);
    } catch (error) {
      if (!isRowError(error)) throw error;
      if (batch.length === 1) {
        this.refused++;
        this.dropped.add();
        if (this.refused === 1)
          calltraceLogger.warn(
            `call index: the database refused a call's row (${(error as Error).message}); dropped and counted`,
          );
        return;
      }
      const half = batch.length >> 1;
      await this.#writeIsolating(batch.slice(0, half));
      await this.#writeIsolating(batch.slice(half));
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

/** Copies the defined fields of `update` onto `into` by each field's merge rule (CALL_FIELDS). */
function merge(into: CallRow, update: CallRow): CallRow {
  const target = into as unknown as Record<string, unknown>;
  const source = update as unknown as Record<string, unknown>;
  for (const key in source) {
    const value = source[key]; // for…in: no entry arrays on the call's path
    if (value === undefined) continue;
    const rule = CALL_FIELDS[key as keyof typeof CALL_FIELDS]?.merge;
    if (rule === 'any') target[key] = Boolean(target[key]) || Boolean(value);
    else if (rule === 'status' && into.endedAt && !update.endedAt) continue;
    else target[key] = value;
  }
  return into;
}
