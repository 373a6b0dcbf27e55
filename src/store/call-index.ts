import type { SqlBackend } from './backend.js';
import { CallTable, type CallTableRow } from './call-table.js';
import { toE164, tryE164 } from './e164.js';
import { checkLimit, checkQuery, dedupe, toCallRow, toIndexedCall } from './call-rows.js';
import { CallIndexInputError } from './errors.js';
import { NumberProtector } from './number-protection.js';
import {
  resolveCallIndexOptions,
  type CallIndexOptions,
  type ResolvedCallIndexOptions,
} from './options.js';
import { openPgBackend } from './pg-backend.js';
import { openPgliteBackend } from './pglite-backend.js';
import { checkSchemaName, migrate } from './schema.js';
import type { CallUpdate, IndexedCall, LookupOptions } from './types.js';
import { WriteQueue } from './write-queue.js';
import { calltraceLogger } from '../safe.js';
import type { CallHandle } from '../call.js';
import { CallIndexSpanProcessor, trackCall, type TrackNumbers } from './call-tracking.js';

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The call index: call id ↔ trace id ↔ numbers. Writes are queued and never throw; lookups
 * throw `CallIndexInputError` on bad input. Opens the database lazily, retrying while it is down.
 */
export class CallIndex {
  /** Resolved once; private because it holds the hash key. */
  readonly #options: ResolvedCallIndexOptions;
  readonly #numbers: NumberProtector;
  readonly #queue: WriteQueue;
  #opening: Promise<{ db: SqlBackend; table: CallTable }> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #processor: CallIndexSpanProcessor | undefined;

  constructor(options: CallIndexOptions = {}) {
    this.#options = resolveCallIndexOptions(options);
    checkSchemaName(this.#options.schema);
    this.#numbers = new NumberProtector(this.#options.hashKey, !this.#options.databaseUrl);
    this.#queue = new WriteQueue(
      async (rows) => (await this.#open()).table.upsert(rows),
      this.#options,
    );
  }

  /** Which backend this index writes to. */
  get backend(): 'postgres' | 'pglite' {
    return this.#options.databaseUrl ? 'postgres' : 'pglite';
  }

  /** Calls queued and not yet written. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Updates dropped because the queue was full, or still queued when the index closed. */
  get dropped(): number {
    return this.#queue.dropped.count;
  }

  /**
   * Register on your tracer provider: every call is then indexed as it starts and ends; the
   * only work in the call's path is a queue update. `shutdown` closes the index.
   */
  get spanProcessor(): CallIndexSpanProcessor {
    return (this.#processor ??= new CallIndexSpanProcessor(
      (u) => this.record(u),
      () => this.flush(),
      () => this.close(),
    ));
  }

  /**
   * Adds the numbers of a call started with `startCall` (its root span carries the caller only
   * masked). They are hashed at once; the clear numbers are not kept. Never throws.
   */
  track(call: CallHandle, numbers?: TrackNumbers): void {
    trackCall((u) => this.record(u), call, numbers);
  }

  /** Queues an update of one call (merged with what is stored). Never throws; bad fields are ignored. */
  record(update: CallUpdate): void {
    try {
      const row = toCallRow(update, this.#numbers, this.#options.defaultCountryCode);
      if (row) this.#queue.push(row);
    } catch (error) {
      calltraceLogger.debug('call index: update ignored', error);
    }
  }

  /** Looks a query up as a trace id, a phone number or a call id (ours, the provider's, OpenAI's). */
  async lookup(query: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const q = checkQuery(query);
    const limit = checkLimit(options.limit);
    if (TRACE_ID.test(q.toLowerCase())) return this.lookupByTraceId(q, options);
    const e164 = tryE164(q, this.#options.defaultCountryCode);
    const { table } = await this.#open();
    const rows = await table.byCallId(q, limit);
    if (e164) rows.push(...(await table.byNumberHash(this.#numbers.hash(e164), limit)));
    return this.#results(dedupe(rows), limit);
  }

  /** Calls from or to this number, newest first. Throws `CallIndexInputError` if it is not a number. */
  async lookupByNumber(number: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const e164 = toE164(checkQuery(number), this.#options.defaultCountryCode);
    const limit = checkLimit(options.limit);
    const { table } = await this.#open();
    return this.#results(await table.byNumberHash(this.#numbers.hash(e164), limit), limit);
  }

  async lookupByCallId(callId: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const limit = checkLimit(options.limit);
    const { table } = await this.#open();
    return this.#results(await table.byCallId(checkQuery(callId), limit), limit);
  }

  async lookupByTraceId(traceId: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const id = checkQuery(traceId).toLowerCase();
    if (!TRACE_ID.test(id)) throw new CallIndexInputError('trace id must be 32 hex characters');
    const limit = checkLimit(options.limit);
    const { table } = await this.#open();
    return this.#results(await table.byTraceId(id, limit), limit);
  }

  /** Opens the database and applies migrations now (otherwise done on first use). */
  async ready(): Promise<void> {
    await this.#open();
  }

  /** Waits until queued updates are written (retrying while the database is down). True when all were. */
  flush(timeoutMs?: number): Promise<boolean> {
    return this.#queue.flush(timeoutMs);
  }

  /** Writes what is queued (up to `timeoutMs`, default 5 s), then closes the database. Idempotent. */
  close(timeoutMs = 5_000): Promise<void> {
    this.#closing ??= (async () => {
      await this.#queue.flush(timeoutMs); // may still open the database to write
      this.#queue.close();
      this.#closed = true;
      const opening = this.#opening;
      this.#opening = undefined;
      if (opening) await opening.then(({ db }) => db.close()).catch(() => undefined);
    })();
    return this.#closing;
  }

  #open(): Promise<{ db: SqlBackend; table: CallTable }> {
    if (this.#closed && !this.#opening) return Promise.reject(new Error('call index is closed'));
    this.#opening ??= this.#connect().catch((error) => {
      this.#opening = undefined; // retried on the next write or lookup
      throw error;
    });
    return this.#opening;
  }

  async #connect(): Promise<{ db: SqlBackend; table: CallTable }> {
    const o = this.#options;
    const db = o.databaseUrl
      ? await openPgBackend(o.databaseUrl, o.maxConnections)
      : await openPgliteBackend(o.dataDir, o.pglite);
    try {
      await migrate(db, o.schema);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return { db, table: new CallTable(db, o.schema) };
  }

  #results(rows: CallTableRow[], limit: number): IndexedCall[] {
    return rows
      .map((r) => toIndexedCall(r, this.#options.traceUrlTemplate))
      .sort((a, b) => (b.startedAt?.getTime() ?? Infinity) - (a.startedAt?.getTime() ?? Infinity))
      .slice(0, limit);
  }
}

/** Creates a call index. See `CallIndexOptions` for the backend and key. */
export function createCallIndex(options: CallIndexOptions = {}): CallIndex {
  return new CallIndex(options);
}
