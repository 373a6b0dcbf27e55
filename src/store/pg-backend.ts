import type { Pool, PoolClient } from 'pg';
import { importOptionalPeer } from '../optional-peer.js';
import { calltraceLogger } from '../safe.js';
import type { SqlBackend, SqlClient } from './backend.js';

/** PostgreSQL through a `pg` pool, loaded on first use so that `pg` stays an optional peer. */
export async function openPgBackend(url: string, maxConnections: number): Promise<SqlBackend> {
  const pg = await importOptionalPeer(
    'pg',
    'calltrace/store (PostgreSQL index)',
    () => import('pg'),
  );
  const PoolClass = (pg.default?.Pool ?? pg.Pool) as typeof Pool;
  const pool = new PoolClass({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  // An idle client losing its server emits 'error' on the pool; unheard, it would crash the host.
  pool.on('error', (error) => calltraceLogger.debug('call index: idle connection lost', error));
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (client: SqlClient) => Promise<T>) {
      const client: PoolClient = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <R>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params)).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
