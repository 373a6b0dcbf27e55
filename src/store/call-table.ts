import type { SqlClient } from './backend.js';
import type { CallRow } from './types.js';

/** Stored columns in write order, with their SQL array types for `unnest`. */
const COLUMNS = [
  ['call_id', 'text', (r: CallRow) => r.callId],
  ['trace_id', 'text', (r: CallRow) => r.traceId],
  ['provider', 'text', (r: CallRow) => r.provider],
  ['provider_call_id', 'text', (r: CallRow) => r.providerCallId],
  ['openai_session_id', 'text', (r: CallRow) => r.openaiSessionId],
  ['direction', 'text', (r: CallRow) => r.direction],
  ['caller_hash', 'text', (r: CallRow) => r.callerHash],
  ['caller_last4', 'text', (r: CallRow) => r.callerLast4],
  ['callee_hash', 'text', (r: CallRow) => r.calleeHash],
  ['callee_last4', 'text', (r: CallRow) => r.calleeLast4],
  ['started_at', 'timestamptz', (r: CallRow) => r.startedAt?.toISOString()],
  ['ended_at', 'timestamptz', (r: CallRow) => r.endedAt?.toISOString()],
  ['status', 'text', (r: CallRow) => r.status],
  ['first_audio_max_ms', 'float8', (r: CallRow) => r.firstAudioMaxMs],
  ['first_audio_p50_ms', 'float8', (r: CallRow) => r.firstAudioP50Ms],
  ['error', 'bool', (r: CallRow) => r.error],
] as const;

const SELECT_COLUMNS = `call_id, trace_id, provider, provider_call_id, openai_session_id, direction,
  caller_last4, callee_last4, started_at, ended_at, status, first_audio_max_ms, first_audio_p50_ms, error`;

/** What a lookup query returns, before the trace link is added. */
export interface CallTableRow {
  call_id: string;
  trace_id: string | null;
  provider: string | null;
  provider_call_id: string | null;
  openai_session_id: string | null;
  direction: string | null;
  caller_last4: string | null;
  callee_last4: string | null;
  started_at: Date | string | null;
  ended_at: Date | string | null;
  status: string | null;
  first_audio_max_ms: number | null;
  first_audio_p50_ms: number | null;
  error: boolean;
}

/** Every query is parameterised; only the validated schema name is spliced in. */
export class CallTable {
  readonly #upsertSql: string;
  constructor(
    private readonly db: SqlClient,
    private readonly schema: string,
  ) {
    const names = COLUMNS.map(([name]) => name);
    const merge = names
      .slice(1)
      .filter((n) => n !== 'error' && n !== 'status')
      .map((n) => `${n} = COALESCE(EXCLUDED.${n}, calls.${n})`);
    // A late start update must not turn an ended call back to in-progress.
    merge.push(
      `status = CASE WHEN calls.ended_at IS NOT NULL AND EXCLUDED.ended_at IS NULL THEN calls.status ELSE COALESCE(EXCLUDED.status, calls.status) END`,
      `error = calls.error OR EXCLUDED.error`,
      `updated_at = now()`,
    );
    const arrays = COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const selected = names.map((n) => (n === 'error' ? 'COALESCE(u.error, false)' : `u.${n}`));
    this.#upsertSql = `INSERT INTO ${schema}.calls AS calls (${names.join(', ')})
      SELECT ${selected.join(', ')} FROM unnest(${arrays}) AS u(${names.join(', ')})
      ON CONFLICT (call_id) DO UPDATE SET ${merge.join(', ')}`;
  }

  /** Idempotent upsert by call id; rows must have distinct call ids. */
  async upsert(rows: CallRow[]): Promise<void> {
    if (rows.length === 0) return;
    const params = COLUMNS.map(([, , get]) => rows.map((r) => get(r) ?? null));
    await this.db.query(this.#upsertSql, params);
  }

  byNumberHash(hash: string, limit: number): Promise<CallTableRow[]> {
    const s = this.schema;
    return this.db.query<CallTableRow>(
      `SELECT * FROM (
         (SELECT ${SELECT_COLUMNS} FROM ${s}.calls WHERE caller_hash = $1 ORDER BY started_at DESC LIMIT $2)
         UNION
         (SELECT ${SELECT_COLUMNS} FROM ${s}.calls WHERE callee_hash = $1 ORDER BY started_at DESC LIMIT $2)
       ) AS found ORDER BY started_at DESC LIMIT $2`,
      [hash, limit],
    );
  }

  /** Our call id, or the provider's (CallSid, `rtc_…`), or the OpenAI session id. */
  byCallId(id: string, limit: number): Promise<CallTableRow[]> {
    return this.db.query<CallTableRow>(
      `SELECT ${SELECT_COLUMNS} FROM ${this.schema}.calls
       WHERE call_id = $1 OR provider_call_id = $1 OR openai_session_id = $1
       ORDER BY started_at DESC LIMIT $2`,
      [id, limit],
    );
  }

  byTraceId(traceId: string, limit: number): Promise<CallTableRow[]> {
    return this.db.query<CallTableRow>(
      `SELECT ${SELECT_COLUMNS} FROM ${this.schema}.calls WHERE trace_id = $1
       ORDER BY started_at DESC LIMIT $2`,
      [traceId, limit],
    );
  }
}
