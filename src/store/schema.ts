import type { SqlBackend, SqlClient } from './backend.js';
import { FIELD_LIST } from './call-fields.js';
import { CallIndexConfigError } from './errors.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema name is spliced into SQL, so it must be a plain lower-case identifier. */
export function checkSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema))
    throw new CallIndexConfigError(
      `call index: schema must match ${IDENTIFIER}, got ${JSON.stringify(schema.slice(0, 80))}`,
    );
  return schema;
}

/**
 * Ordered migrations; each runs once per schema, recorded in `<schema>.calltrace_migrations`.
 * Lookups by number seek `(hash, started_at DESC)` and stop at the limit: O(log n) in table size.
 */
const MIGRATIONS: Array<(s: string) => string> = [
  (s) => `
    CREATE TABLE ${s}.calls (
      call_id text PRIMARY KEY,
      trace_id text,
      provider text,
      provider_call_id text,
      openai_session_id text,
      direction text,
      caller_hash text,
      caller_last4 text,
      callee_hash text,
      callee_last4 text,
      started_at timestamptz,
      ended_at timestamptz,
      status text,
      first_audio_max_ms double precision,
      first_audio_p50_ms double precision,
      error boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX calls_caller_idx ON ${s}.calls (caller_hash, started_at DESC);
    CREATE INDEX calls_callee_idx ON ${s}.calls (callee_hash, started_at DESC);
    CREATE INDEX calls_trace_idx ON ${s}.calls (trace_id);
    CREATE INDEX calls_provider_call_idx ON ${s}.calls (provider_call_id);
    CREATE INDEX calls_openai_session_idx ON ${s}.calls (openai_session_id);`,
];

/** Brings the schema up to date. Safe to run from many processes at once (advisory lock). */
export async function migrate(db: SqlBackend, schema: string): Promise<void> {
  const s = checkSchemaName(schema);
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`calltrace:${s}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.calltrace_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [row] = await tx.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${s}.calltrace_migrations`,
    );
    for (let v = (row?.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
      for (const statement of MIGRATIONS[v - 1]!(s)
        .split(';')
        .filter((x) => x.trim()))
        await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.calltrace_migrations (version) VALUES ($1)`, [v]);
    }
    // Columns described after the first migration are added here: one entry in CALL_FIELDS.
    const present = await columnsOf(tx, s);
    for (const f of FIELD_LIST) {
      if (present.has(f.column)) continue;
      await tx.query(`ALTER TABLE ${s}.calls ADD COLUMN ${f.column} ${f.type}`);
      if (f.lookup)
        await tx.query(
          `CREATE INDEX IF NOT EXISTS calls_${f.column}_idx ON ${s}.calls (${f.column})`,
        );
    }
  });
}

/** The columns of `<schema>.calls`; empty when there is no such table. Reads only. */
export async function columnsOf(db: SqlClient, schema: string): Promise<Set<string>> {
  const rows = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'calls'`,
    [checkSchemaName(schema)],
  );
  return new Set(rows.map((r) => r.column_name));
}

export const SCHEMA_VERSION = MIGRATIONS.length;
