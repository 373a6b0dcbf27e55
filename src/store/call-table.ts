import type { SqlClient } from './backend.js';
import { FIELD_LIST, type CallRow } from './call-fields.js';

/** What a lookup query returns, by column name, before it becomes an `IndexedCall`. */
export type CallTableRow = Record<string, unknown> & { call_id: string; error: boolean | null };

/** Columns of the stored table that a lookup reads (`NULL AS x` for columns an older table lacks). */
const SHOWN = FIELD_LIST.filter((f) => !f.hidden);

const MERGE: Record<string, (c: string) => string> = {
  latest: (c) => `${c} = COALESCE(EXCLUDED.${c}, calls.${c})`,
  any: (c) => `${c} = calls.${c} OR EXCLUDED.${c}`,
  // A late start update must not turn an ended call back to in-progress.
  status: (c) =>
    `${c} = CASE WHEN calls.ended_at IS NOT NULL AND EXCLUDED.ended_at IS NULL THEN calls.${c} ELSE COALESCE(EXCLUDED.${c}, calls.${c}) END`,
};

/** Every query is generated from `CALL_FIELDS` and parameterised; only the validated schema name is spliced in. */
export class CallTable {
  readonly #upsertSql: string;
  readonly #select: string;

  /** `present`: the columns the stored table has (an index written by an older version may lack some). */
  constructor(
    private readonly db: SqlClient,
    private readonly schema: string,
    present?: ReadonlySet<string>,
  ) {
    const names = FIELD_LIST.map((f) => f.column);
    const merge = FIELD_LIST.filter((f) => f.merge !== 'key').map((f) => MERGE[f.merge]!(f.column));
    merge.push(`updated_at = now()`);
    const arrays = FIELD_LIST.map((f, i) => `$${i + 1}::${f.type}[]`).join(', ');
    const selected = FIELD_LIST.map((f) =>
      f.merge === 'any' ? `COALESCE(u.${f.column}, false)` : `u.${f.column}`,
    );
    this.#upsertSql = `INSERT INTO ${schema}.calls AS calls (${names.join(', ')})
      SELECT ${selected.join(', ')} FROM unnest(${arrays}) AS u(${names.join(', ')})
      ON CONFLICT (call_id) DO UPDATE SET ${merge.join(', ')}`;
    this.#select = SHOWN.map((f) =>
      !present || present.has(f.column) ? f.column : `NULL::${f.type} AS ${f.column}`,
    ).join(', ');
  }

  /** Idempotent upsert by call id; rows must have distinct call ids. */
  async upsert(rows: CallRow[]): Promise<void> {
    if (rows.length === 0) return;
    const params = FIELD_LIST.map((f) =>
      rows.map((r) => {
        const v = (r as Record<string, unknown>)[f.name];
        return v instanceof Date ? v.toISOString() : (v ?? null);
      }),
    );
    await this.db.query(this.#upsertSql, params);
  }

  /** Calls whose `lookup: kind` columns equal `value`, newest first. Each column is an index seek. */
  by(kind: 'id' | 'trace' | 'number', value: string, limit: number): Promise<CallTableRow[]> {
    const parts = FIELD_LIST.filter((f) => f.lookup === kind).map(
      (f) =>
        `(SELECT ${this.#select} FROM ${this.schema}.calls WHERE ${f.column} = $1 ORDER BY started_at DESC LIMIT $2)`,
    );
    return this.db.query<CallTableRow>(
      `SELECT * FROM (${parts.join(' UNION ')}) AS found ORDER BY started_at DESC LIMIT $2`,
      [value, limit],
    );
  }
}
