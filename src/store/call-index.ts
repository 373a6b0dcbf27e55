import { existsSync } from 'node:fs';
import type { SqlBackend } from './backend.js';
import type { CallRow } from './call-fields.js';
import { checkLimit, checkQuery, dedupe, toCallRow, toIndexedCall } from './call-rows.js';
import { CallTable, type CallTableRow } from './call-table.js';
import { CallIndexSpanProcessor, trackCall, type TrackNumbers } from './call-tracking.js';
import { toE164 } from './e164.js';
import { CallIndexInputError } from './errors.js';
import { NumberProtector } from './number-protection.js';
import {
  resolveCallIndexOptions,
  type CallIndexOptions,
  type ResolvedCallIndexOptions,
} from './options.js';
import { openPgBackend } from './pg-backend.js';
import { openPgliteBackend } from './pglite-backend.js';
import { readQuery, type ReadQuery } from './query.js';
import { checkSchemaName, columnsOf, migrate } from './schema.js';
import type { CallUpdate, IndexedCall, LookupOptions } from './types.js';
import { WriteQueue } from './write-queue.js';
import { calltraceLogger } from '../safe.js';
import type { CallHandle } from '../call.js';

/** What `search` found, and how it read the query (for a person: the CLI, the page). */
export interface SearchResult {
  calls: IndexedCall[];
  readAs: ReadQuery['kind'];
  /** Set when the query looks like a phone number but is not one (`+1 555`): the reason. */
  notANumber?: string;
  /** False when the database holds no call index (nothing was ever recorded there). */
  indexFound: boolean;
}

/**
 * The call index: call id ↔ trace id ↔ numbers. Writes are queued and never throw; lookups
 * throw `CallIndexInputError` on bad input and never create anything. Opens the database
 * lazily, retrying while it is down.
 */
export class CallIndex {
  /** Resolved once; private because it holds the hash key. */
  readonly #options: ResolvedCallIndexOptions;
  readonly #numbers: NumberProtector;
  readonly #queue: WriteQueue;
  #backend: Promise<SqlBackend> | undefined;
  #writable: Promise<CallTable> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #processor: CallIndexSpanProcessor | undefined;
  #invalid = 0;

  constructor(options: CallIndexOptions = {}) {
    this.#options = resolveCallIndexOptions(options);
    checkSchemaName(this.#options.schema);
    this.#numbers = new NumberProtector(this.#options.hashKey, !this.#options.databaseUrl);
    this.#queue = new WriteQueue(async (rows) => (await this.#write()).upsert(rows), this.#options);
  }

  /** Which backend this index writes to. */
  get backend(): 'postgres' | 'pglite' {
    return this.#options.databaseUrl ? 'postgres' : 'pglite';
  }

  /** Calls queued and not yet written. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Updates dropped: the queue was full, the index closed first, or the database refused the row. */
  get dropped(): number {
    return this.#queue.dropped.count;
  }

  /** Updates or fields refused before queuing (no usable call id, NUL, a date PostgreSQL cannot store) or rows the database refused. */
  get refused(): number {
    return this.#invalid + this.#queue.refused;
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

  /** Queues an update of one call (merged with what is stored). Never throws; bad fields are refused and counted. */
  record(update: CallUpdate): void {
    try {
      const { row, refused } = toCallRow(update, this.#numbers, this.#options.defaultCountryCode);
      this.#invalid += refused;
      if (row) this.#queue.push(row);
    } catch (error) {
      this.#invalid++;
      calltraceLogger.debug('call index: update ignored', error);
    }
  }

  /** Looks a query up as a trace id, a phone number or a call id (ours, the provider's, OpenAI's). */
  async lookup(query: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const found = await this.search(query, options);
    if (found.calls.length === 0 && found.notANumber)
      throw new CallIndexInputError(`${found.notANumber}; and no call has this id`);
    return found.calls;
  }

  /** Like `lookup`, and says how the query was read and whether there is an index at all. */
  async search(query: string, options: LookupOptions = {}): Promise<SearchResult> {
    const q = checkQuery(query);
    const limit = checkLimit(options.limit);
    const read = readQuery(q, this.#options.defaultCountryCode);
    const table = await this.#read();
    let rows: CallTableRow[] = [];
    if (table && read.kind === 'trace id') rows = await table.by('trace', q.toLowerCase(), limit);
    else if (table) {
      rows = await table.by('id', q, limit);
      if (read.e164) rows.push(...(await table.by('number', this.#numbers.hash(read.e164), limit)));
    }
    const { notANumber } = read;
    return {
      calls: this.#results(dedupe(rows), limit),
      readAs: read.kind,
      notANumber,
      indexFound: !!table,
    };
  }

  /** Calls from or to this number, newest first. Throws `CallIndexInputError` if it is not a number. */
  async lookupByNumber(number: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const e164 = toE164(checkQuery(number), this.#options.defaultCountryCode);
    return this.#by('number', this.#numbers.hash(e164), options);
  }

  async lookupByCallId(callId: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    return this.#by('id', checkQuery(callId), options);
  }

  async lookupByTraceId(traceId: string, options: LookupOptions = {}): Promise<IndexedCall[]> {
    const id = checkQuery(traceId).toLowerCase();
    if (readQuery(id, '1').kind !== 'trace id')
      throw new CallIndexInputError('trace id must be 32 hex characters');
    return this.#by('trace', id, options);
  }

  /** Opens the database and applies migrations now (otherwise done on the first write). */
  async ready(): Promise<void> {
    await this.#write();
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
      const backend = this.#backend;
      this.#backend = this.#writable = undefined;
      if (backend) await backend.then((db) => db.close()).catch(() => undefined);
    })();
    return this.#closing;
  }

  async #by(kind: 'id' | 'trace' | 'number', value: string, o: LookupOptions) {
    const limit = checkLimit(o.limit);
    const table = await this.#read();
    return table ? this.#results(await table.by(kind, value, limit), limit) : [];
  }

  /**
   * The database, opened once (retried after a failure). For a read, null when the embedded
   * index's directory does not exist: opening it would create it.
   */
  async #open(create: boolean): Promise<SqlBackend | null> {
    if (this.#closed) throw new Error('call index is closed');
    const o = this.#options;
    const dir = o.dataDir && !o.dataDir.includes('://') ? o.dataDir : undefined;
    if (!create && !this.#backend && !o.databaseUrl && !o.pglite && dir && !existsSync(dir))
      return null;
    this.#backend ??= (
      o.databaseUrl
        ? openPgBackend(o.databaseUrl, o.maxConnections)
        : openPgliteBackend(o.dataDir, o.pglite)
    ).catch((error) => {
      this.#backend = undefined;
      throw error;
    });
    return this.#backend;
  }

  #write(): Promise<CallTable> {
    this.#writable ??= this.#open(true)
      .then(async (db) => {
        await migrate(db!, this.#options.schema);
        return new CallTable(db!, this.#options.schema);
      })
      .catch((error) => {
        this.#writable = undefined;
        throw error;
      });
    return this.#writable;
  }

  /** A table to read, or null when there is no index: reading never migrates or creates. */
  async #read(): Promise<CallTable | null> {
    if (this.#writable) return this.#writable;
    const db = await this.#open(false);
    const present = db ? await columnsOf(db, this.#options.schema) : new Set<string>();
    return present.size ? new CallTable(db!, this.#options.schema, present) : null;
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

export type { CallRow };
