import { mkdir } from 'node:fs/promises';
import type { SqlBackend, SqlClient } from './backend.js';

/** Embedded PostgreSQL (PGlite): in memory, or in `dataDir`. Loaded on first use. */
export async function openPgliteBackend(dataDir: string | undefined): Promise<SqlBackend> {
  const { PGlite } = await import('@electric-sql/pglite');
  // PGlite creates only the last folder of a path; `memory://`-style URLs are not folders.
  if (dataDir && !dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async transaction<T>(fn: (client: SqlClient) => Promise<T>) {
      return db.transaction((tx) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) =>
            (await tx.query<R>(sql, params)).rows,
        }),
      );
    },
    close: () => db.close(),
  };
}
