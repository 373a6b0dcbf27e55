import { CallAttr, RealtimeAttr, TurnAttr } from '../attributes.js';

/**
 * The call row, described once. The table's columns (and their migration), the upsert and
 * its merge rules, the write queue's coalescing, the validation before a row reaches the
 * database, the span processor that fills it, the public types, the lookup page and the CLI
 * all read this table: adding a column is one entry here.
 */

export type ColumnType = 'text' | 'timestamptz' | 'float8' | 'int4' | 'bool';

/**
 * How a later update of a call meets what is stored: `latest` keeps the newest non-null
 * value, `any` is a sticky flag (OR), `status` is `latest` except that an update without an
 * end time never replaces the status of an ended call (a late start must not reopen it).
 */
export type MergeRule = 'key' | 'latest' | 'any' | 'status';

/**
 * Which span of the call fills a field: the root `call` span starting or ending, the Realtime
 * session span ending, or a caller turn (`invoke_agent` exchange) ending — turn values are
 * summed over the call's turns.
 */
export type SpanRole = 'callStart' | 'callEnd' | 'sessionEnd' | 'turnEnd';

/** How the page and the CLI print a value. */
export type Format = 'text' | 'time' | 'ms' | 'count' | 'last4' | 'flag';

export interface CallFieldSpec {
  column: string;
  type: ColumnType;
  merge: MergeRule;
  /** Readable name for the page and the CLI. */
  label: string;
  format: Format;
  /** Attribute read from a span of the call (`from` role → key). Computed sources live in call-tracking.ts. */
  source?: Partial<Record<SpanRole, string>>;
  /** A lookup matches this column: `id` (exact id), `trace` (trace id), `number` (number hash). */
  lookup?: 'id' | 'trace' | 'number';
  /** Never returned by a lookup (number hashes). */
  hidden?: true;
  /** Lower-cased before it is stored (trace ids). */
  lowerCase?: true;
}

export const CALL_FIELDS = {
  callId: {
    column: 'call_id',
    type: 'text',
    merge: 'key',
    label: 'Call id',
    format: 'text',
    source: { callStart: CallAttr.callId },
    lookup: 'id',
  },
  traceId: {
    column: 'trace_id',
    type: 'text',
    merge: 'latest',
    label: 'Trace id',
    format: 'text',
    lookup: 'trace',
    lowerCase: true,
  },
  provider: {
    column: 'provider',
    type: 'text',
    merge: 'latest',
    label: 'Provider',
    format: 'text',
    source: { callStart: CallAttr.provider },
  },
  providerCallId: {
    column: 'provider_call_id',
    type: 'text',
    merge: 'latest',
    label: 'Provider call id',
    format: 'text',
    source: { callStart: CallAttr.providerCallId },
    lookup: 'id',
  },
  openaiSessionId: {
    column: 'openai_session_id',
    type: 'text',
    merge: 'latest',
    label: 'OpenAI session',
    format: 'text',
    source: { sessionEnd: RealtimeAttr.sessionId },
    lookup: 'id',
  },
  transport: {
    column: 'transport',
    type: 'text',
    merge: 'latest',
    label: 'Transport',
    format: 'text',
    source: { sessionEnd: RealtimeAttr.transport },
  },
  direction: {
    column: 'direction',
    type: 'text',
    merge: 'latest',
    label: 'Direction',
    format: 'text',
    source: { callStart: CallAttr.direction },
  },
  callerHash: {
    column: 'caller_hash',
    type: 'text',
    merge: 'latest',
    label: 'Caller hash',
    format: 'text',
    lookup: 'number',
    hidden: true,
  },
  callerLast4: {
    column: 'caller_last4',
    type: 'text',
    merge: 'latest',
    label: 'Caller',
    format: 'last4',
  },
  calleeHash: {
    column: 'callee_hash',
    type: 'text',
    merge: 'latest',
    label: 'Callee hash',
    format: 'text',
    lookup: 'number',
    hidden: true,
  },
  calleeLast4: {
    column: 'callee_last4',
    type: 'text',
    merge: 'latest',
    label: 'Callee',
    format: 'last4',
  },
  startedAt: {
    column: 'started_at',
    type: 'timestamptz',
    merge: 'latest',
    label: 'Started',
    format: 'time',
  },
  endedAt: {
    column: 'ended_at',
    type: 'timestamptz',
    merge: 'latest',
    label: 'Ended',
    format: 'time',
  },
  status: {
    column: 'status',
    type: 'text',
    merge: 'status',
    label: 'Status',
    format: 'text',
    source: { callEnd: CallAttr.status },
  },
  errorCount: {
    column: 'error_count',
    type: 'int4',
    merge: 'latest',
    label: 'Errors',
    format: 'count',
  },
  error: { column: 'error', type: 'bool', merge: 'any', label: 'Error', format: 'flag' },
  turns: {
    column: 'turns',
    type: 'int4',
    merge: 'latest',
    label: 'Turns',
    format: 'count',
    source: { callEnd: CallAttr.turns },
  },
  toolCalls: {
    column: 'tool_calls',
    type: 'int4',
    merge: 'latest',
    label: 'Tool calls',
    format: 'count',
    source: { callEnd: CallAttr.toolCalls },
  },
  toolErrors: {
    column: 'tool_errors',
    type: 'int4',
    merge: 'latest',
    label: 'Failed tools',
    format: 'count',
    source: { callEnd: CallAttr.toolErrors },
  },
  firstAudioMaxMs: {
    column: 'first_audio_max_ms',
    type: 'float8',
    merge: 'latest',
    label: 'Caller wait (worst)',
    format: 'ms',
    source: { callEnd: CallAttr.firstAudioMaxMs },
  },
  firstAudioP50Ms: {
    column: 'first_audio_p50_ms',
    type: 'float8',
    merge: 'latest',
    label: 'Caller wait (median)',
    format: 'ms',
    source: { callEnd: CallAttr.firstAudioP50Ms },
  },
  waitOursMs: {
    column: 'wait_ours_ms',
    type: 'float8',
    merge: 'latest',
    label: 'Wait: ours',
    format: 'ms',
    source: { turnEnd: TurnAttr.waitOursMs },
  },
  waitModelMs: {
    column: 'wait_model_ms',
    type: 'float8',
    merge: 'latest',
    label: 'Wait: model',
    format: 'ms',
    source: { turnEnd: TurnAttr.waitModelMs },
  },
  openaiTraceId: {
    column: 'openai_trace_id',
    type: 'text',
    merge: 'latest',
    label: 'OpenAI trace',
    format: 'text',
    source: { callEnd: CallAttr.openaiTraceId },
  },
} as const satisfies Record<string, CallFieldSpec>;

export type CallFieldName = keyof typeof CALL_FIELDS;

type TsType<T extends ColumnType> = T extends 'text'
  ? string
  : T extends 'timestamptz'
    ? Date
    : T extends 'bool'
      ? boolean
      : number;

type Spec<K extends CallFieldName> = (typeof CALL_FIELDS)[K];
type ValueOf<K extends CallFieldName> = TsType<Spec<K>['type']>;
type Shown = {
  [K in CallFieldName]: Spec<K> extends { hidden: true } ? never : K;
}[CallFieldName];

/** Every stored field as a lookup returns it (null when never recorded); numbers as last four digits. */
export type StoredCall = { [K in Exclude<Shown, 'error' | 'callId'>]: ValueOf<K> | null } & {
  callId: string;
  error: boolean;
};

/** A row as it is queued and written: any stored field, numbers already protected. */
export type CallRow = { callId: string } & {
  [K in Exclude<CallFieldName, 'callId'>]?: ValueOf<K>;
};

/** The fields in declaration order, with their names: what every generator iterates. */
export const FIELD_LIST = (Object.keys(CALL_FIELDS) as CallFieldName[]).map((name) => ({
  name,
  ...(CALL_FIELDS[name] as CallFieldSpec),
}));
