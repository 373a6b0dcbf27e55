import { INDEX_KEY_ENV } from './number-protection.js';
import type { PgliteLike } from './pglite-backend.js';

export interface CallIndexOptions {
  /**
   * PostgreSQL connection string (production). Default: none — the embedded PGlite store, in
   * memory or in `dataDir`.
   */
  databaseUrl?: string;
  /** PGlite data directory. Default: in memory. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** A PGlite instance of your own to write to (the index leaves it open). Default: none. */
  pglite?: PgliteLike;
  /** Schema holding the `calls` table. Default: `calltrace`. */
  schema?: string;
  /**
   * Secret key for the number hashes. Default: `CALLTRACE_INDEX_KEY`; without either, PGlite
   * uses a public development key (with a warning) and PostgreSQL refuses to start.
   */
  hashKey?: string;
  /** Country calling code for national numbers (`555-010-0100`). Default: `'1'`. */
  defaultCountryCode?: string;
  /**
   * Trace link per result; `{traceId}`, `{callId}`, `{startMs}`, `{endMs}`, `{startSec}`,
   * `{endSec}` are replaced (URL-encoded). Default: none.
   */
  traceUrlTemplate?: string;
  /** Calls waiting to be written; updates for further calls are dropped and counted. Default: 10,000. */
  maxQueueSize?: number;
  /** Calls per database write. Default: 500. */
  batchSize?: number;
  /** Delay before queued updates are written, ms. Default: 100. */
  flushIntervalMs?: number;
  /** Longest wait between retries while the database is down, ms. Default: 5,000. */
  maxRetryDelayMs?: number;
  /** PostgreSQL pool size. Default: 4. */
  maxConnections?: number;
}

export interface ResolvedCallIndexOptions {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  pglite: PgliteLike | undefined;
  schema: string;
  hashKey: string | undefined;
  defaultCountryCode: string;
  traceUrlTemplate: string | undefined;
  maxQueueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  maxRetryDelayMs: number;
  maxConnections: number;
}

export function resolveCallIndexOptions(o: CallIndexOptions = {}): ResolvedCallIndexOptions {
  return {
    databaseUrl: o.databaseUrl || undefined,
    dataDir: o.dataDir || undefined,
    pglite: o.pglite,
    schema: o.schema ?? 'calltrace',
    hashKey: o.hashKey ?? process.env[INDEX_KEY_ENV],
    defaultCountryCode: o.defaultCountryCode ?? '1',
    traceUrlTemplate: o.traceUrlTemplate || undefined,
    maxQueueSize: positive(o.maxQueueSize, 10_000),
    batchSize: positive(o.batchSize, 500),
    flushIntervalMs: positive(o.flushIntervalMs, 100),
    maxRetryDelayMs: positive(o.maxRetryDelayMs, 5_000),
    maxConnections: positive(o.maxConnections, 4),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : fallback;
}
