import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';

/** The parts of a finished SDK span written to the file (structural: no SDK import). */
export interface ExportableSpan {
  name: string;
  kind: number;
  spanContext(): { traceId: string; spanId: string };
  parentSpanContext?: { spanId: string };
  startTime: HrTime;
  endTime: HrTime;
  attributes: Attributes;
  status: { code: number; message?: string };
  events: ReadonlyArray<{ name: string; time: HrTime; attributes?: Attributes }>;
  resource?: { attributes: Attributes };
  instrumentationScope?: { name: string; version?: string };
}

/** One span read back from an OTLP-JSON file, in the units the waterfall needs. */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number | boolean>;
  error: boolean;
  /** Span events by name and time (the exchange's speech_stopped anchors the caller's wait). */
  events: Array<{ name: string; timeMs: number }>;
}

type OtlpValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpValue[] } };
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

/** One `ExportTraceServiceRequest` in OTLP/JSON (the Collector's file exporter format). */
export function toOtlpJson(spans: readonly ExportableSpan[]): string {
  const first = spans[0];
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: toAttributes(first?.resource?.attributes ?? {}) },
        scopeSpans: [
          {
            scope: { name: first?.instrumentationScope?.name ?? 'calltrace' },
            spans: spans.map((s) => ({
              traceId: s.spanContext().traceId,
              spanId: s.spanContext().spanId,
              parentSpanId: s.parentSpanContext?.spanId ?? '',
              name: s.name,
              kind: s.kind + 1, // OTLP counts from SPAN_KIND_UNSPECIFIED = 0
              startTimeUnixNano: nanos(s.startTime),
              endTimeUnixNano: nanos(s.endTime),
              attributes: toAttributes(s.attributes),
              events: s.events.map((e) => ({
                name: e.name,
                timeUnixNano: nanos(e.time),
                attributes: toAttributes(e.attributes ?? {}),
              })),
              status: { code: s.status.code, message: s.status.message ?? '' },
            })),
          },
        ],
      },
    ],
  });
}

/** The spans of `traceId` in one OTLP/JSON line; other traces and malformed parts are skipped. */
export function spansFromOtlpJson(line: string, traceId: string): TraceSpan[] {
  const out: TraceSpan[] = [];
  const doc = JSON.parse(line) as { resourceSpans?: any[] };
  for (const rs of doc.resourceSpans ?? [])
    for (const ss of rs?.scopeSpans ?? [])
      for (const s of ss?.spans ?? []) {
        if (s?.traceId !== traceId) continue;
        out.push({
          traceId,
          spanId: String(s.spanId),
          parentSpanId: s.parentSpanId ? String(s.parentSpanId) : null,
          name: String(s.name),
          startMs: Number(BigInt(s.startTimeUnixNano) / 1000n) / 1000,
          endMs: Number(BigInt(s.endTimeUnixNano) / 1000n) / 1000,
          attributes: fromAttributes(s.attributes ?? []),
          error: s.status?.code === 2,
          events: (Array.isArray(s.events) ? s.events : []).slice(0, 1000).map((e: any) => ({
            name: String(e?.name),
            timeMs: Number(BigInt(e?.timeUnixNano ?? 0) / 1000n) / 1000,
          })),
        });
      }
  return out;
}

function nanos([sec, ns]: HrTime): string {
  return (BigInt(sec) * 1_000_000_000n + BigInt(ns)).toString();
}

function toAttributes(attrs: Attributes): OtlpAttribute[] {
  const out: OtlpAttribute[] = [];
  for (const [key, v] of Object.entries(attrs))
    if (v !== undefined) out.push({ key, value: toValue(v) });
  return out;
}

function toValue(v: AttributeValue | null | undefined): OtlpValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => toValue(x)) } };
  return { stringValue: String(v) };
}

function fromAttributes(attrs: any[]): TraceSpan['attributes'] {
  const out: TraceSpan['attributes'] = {};
  for (const a of attrs) {
    const v = a?.value ?? {};
    if ('stringValue' in v) out[a.key] = String(v.stringValue);
    else if ('boolValue' in v) out[a.key] = Boolean(v.boolValue);
    else if ('intValue' in v) out[a.key] = Number(v.intValue);
    else if ('doubleValue' in v) out[a.key] = Number(v.doubleValue);
    else if ('arrayValue' in v) out[a.key] = JSON.stringify(v.arrayValue?.values ?? []);
  }
  return out;
}
