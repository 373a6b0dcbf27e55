import { mkdir } from 'node:fs/promises';
import { importOptionalPeer } from '../optional-peer.js';
import type { SqlBackend, SqlClient } from './backend.js';

interface PgliteQueries {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** The parts of a PGlite instance the index uses (structural: no PGlite types in ours). */
export interface PgliteLike extends PgliteQueries {
  transaction<T>(fn: (tx: PgliteQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Embedded PostgreSQL (PGlite): the app's own instance (left open on close), or one of ours
 * in memory or in `dataDir`. PGlite is loaded on first use.
 */
export async function openPgliteBackend(
  dataDir: string | undefined,
  shared?: PgliteLike,
): Promise<SqlBackend> {
  let db = shared;
  if (!db) {
    const { PGlite } = await importOptionalPeer(
      '@electric-sql/pglite',
      'calltrace/store (the embedded call index)',
      () => import('@electric-sql/pglite'),
    );
    // PGlite creates only the last folder of a path; `memory://`-style URLs are not folders.
    if (dataDir && !dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
    db = (await PGlite.create(dataDir)) as unknown as PgliteLike;
  }
  const own = db;
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await own.query<T>(sql, params)).rows;
    },
    async transaction<T>(fn: (client: SqlClient) => Promise<T>) {
      return own.transaction((tx) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) =>
            (await tx.query<R>(sql, params)).rows,
        }),
      );
    },
    close: () => (shared ? Promise.resolve() : own.close()),
  };
}
