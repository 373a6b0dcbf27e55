import { SpanStatusCode, type Attributes, type HrTime, type SpanStatus } from '@opentelemetry/api';
import { CallAttr, RealtimeAttr } from '../attributes.js';
import type { CallHandle } from '../call.js';
import { safely } from '../safe.js';
import { ATTR_GEN_AI_CONVERSATION_ID } from '../semconv.js';
import { FIELD_LIST, type SpanRole } from './call-fields.js';
import type { CallUpdate } from './types.js';

/** The parts of an SDK span the index reads (structural, so no SDK import is needed). */
interface SpanLike {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  spanContext(): { traceId: string };
}

/** Numbers the app knows in clear; the root span only carries the caller masked. */
export interface TrackNumbers {
  from?: string;
  to?: string;
}

type Record = (update: CallUpdate) => void;

/** Calls whose turns are still summed; a turn ending after its call has been evicted is not counted. */
const MAX_TRACKED_CALLS = 10_000;

/**
 * Follows every call's lifecycle from its spans: the root `call` span starting (ids, provider,
 * callee number) and ending (end time, status, error, first-audio latency), and a Realtime
 * session span ending (OpenAI session id). Register it on the tracer provider, like any
 * SpanProcessor. Only reads attributes; never throws into the SDK.
 */
export class CallIndexSpanProcessor {
  /** Per trace: its call id and the running sums of turn figures (bounded, oldest evicted). */
  readonly #calls = new Map<string, { callId: string; sums: { [name: string]: number } }>();

  constructor(
    private readonly record: Record,
    private readonly whenFlushed: () => Promise<unknown>,
    private readonly whenClosed: () => Promise<unknown>,
  ) {}

  onStart(span: SpanLike): void {
    safely('call index onStart', () => {
      const a = span?.attributes;
      if (!a) return;
      if (!isCallSpan(a)) return;
      const traceId = span.spanContext().traceId;
      if (this.#calls.size >= MAX_TRACKED_CALLS)
        this.#calls.delete(this.#calls.keys().next().value!);
      this.#calls.set(traceId, { callId: a[CallAttr.callId] as string, sums: {} });
      this.record({
        ...described('callStart', a),
        callId: a[CallAttr.callId] as string,
        traceId: span.spanContext().traceId,
        // The core writes the caller in clear only on opt-in; the callee (our line) always.
        from: str(a[CallAttr.callerNumberPii]),
        to: str(a[CallAttr.calleeNumber]),
        startedAt: hrDate(span.startTime),
        status: 'in-progress',
      });
    });
  }

  onEnd(span: SpanLike): void {
    safely('call index onEnd', () => {
      const a = span?.attributes;
      if (!a) return;
      const conversation = a[ATTR_GEN_AI_CONVERSATION_ID];
      if (typeof a[RealtimeAttr.sessionId] === 'string' && typeof conversation === 'string')
        this.record({ ...described('sessionEnd', a), callId: conversation });
      this.#turnEnded(span);
      if (!isCallSpan(a)) return;
      const failed = span.status.code === SpanStatusCode.ERROR;
      // Every error the call counted, a failed tool included; a call ended with an error counts one.
      const counted = (num(a[CallAttr.errors]) ?? 0) + (num(a[CallAttr.toolErrors]) ?? 0);
      const errorCount = Math.max(counted, failed ? 1 : 0);
      this.record({
        ...described('callEnd', a),
        callId: a[CallAttr.callId] as string,
        endedAt: hrDate(span.endTime),
        status: str(a[CallAttr.status]) ?? 'completed',
        errorCount,
        error: errorCount > 0,
      });
    });
  }

  /** A caller turn ended: its figures are added to the call's sums (a turn may end after the call). */
  #turnEnded(span: SpanLike): void {
    const sources = SOURCES.get('turnEnd');
    if (!sources?.some(([, attribute]) => typeof span.attributes[attribute] === 'number')) return;
    const call = this.#calls.get(span.spanContext().traceId);
    if (!call) return;
    const update: { [name: string]: unknown } = { callId: call.callId };
    for (const [name, attribute] of sources) {
      const v = span.attributes[attribute];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      update[name] = call.sums[name] = Math.round(((call.sums[name] ?? 0) + v) * 10) / 10;
    }
    this.record(update as unknown as CallUpdate);
  }

  forceFlush(): Promise<void> {
    return this.whenFlushed().then(() => undefined);
  }

  shutdown(): Promise<void> {
    return this.whenClosed().then(() => undefined);
  }
}

/** Records a call's numbers (raw, as the app has them) and ids; protected before queuing. */
export function trackCall(record: Record, call: CallHandle, numbers: TrackNumbers = {}): void {
  safely('call index track', () =>
    record({ callId: call.callId, traceId: call.traceId, from: numbers.from, to: numbers.to }),
  );
}

/** Per span role, the fields `CALL_FIELDS` says come from one of its attributes. */
const SOURCES = new Map<SpanRole, Array<[name: string, attribute: string]>>();
for (const f of FIELD_LIST)
  for (const [role, attribute] of Object.entries(f.source ?? {}) as Array<[SpanRole, string]>)
    SOURCES.set(role, [...(SOURCES.get(role) ?? []), [f.name, attribute]]);

/** The described fields of one span role; values are validated by type when the update is queued. */
function described(role: SpanRole, a: Attributes): Omit<CallUpdate, 'callId'> {
  const out: { [name: string]: unknown } = {};
  for (const [name, attribute] of SOURCES.get(role) ?? []) {
    const v = a[attribute];
    if (v !== undefined && !Array.isArray(v)) out[name] = v;
  }
  return out as Omit<CallUpdate, 'callId'>;
}

/** The root span of a call: startCall always writes the call id and the direction. */
const isCallSpan = (a: Attributes) =>
  typeof a[CallAttr.callId] === 'string' && a[CallAttr.direction] !== undefined;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const hrDate = (t: HrTime) => new Date(t[0] * 1000 + t[1] / 1e6);
