import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROOT_CONTEXT, trace, type SpanContext } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { setupOtel } from './helpers/otel.js';
import {
  hostileHeaderRecord,
  hostileValue,
  idsIn,
  traceparentString,
  validTraceparent,
} from './helpers/header-arbitraries.js';
import { natsMessageContext, natsTracing, type NatsHeaders } from '../adapters/nats/index.js';
import { bullmqTelemetry, contextFromMetadata, jobContext } from '../adapters/bullmq/index.js';
import { takeTrace } from '../adapters/ws/index.js';

/**
 * Bad input never hurts, for the messaging extractors: NATS headers, BullMQ job metadata and
 * the ws `_trace` envelope each get ≥ 10,000 generated carriers. None may throw; an adopted
 * context must be valid and come from the carrier's own traceparent; otherwise the context is
 * fresh. Valid traceparents are always adopted.
 */
const otel = setupOtel();
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
afterAll(async () => {
  await tracerProvider.shutdown();
  await otel.shutdown();
});
beforeEach(() => exporter.reset());
const RUNS = 10_000;

function assertSafe(remote: SpanContext | undefined, carrierTraceparent: unknown): void {
  if (!remote) return;
  expect(trace.isSpanContextValid(remote)).toBe(true);
  expect(idsIn(carrierTraceparent)).toContain(`${remote.traceId}-${remote.spanId}`);
  expect([0, 1, 2, 3]).toContain(remote.traceFlags);
  // An adopted tracestate is W3C Level 2 valid: 1–32 members, ≤ 512 characters.
  const state = remote.traceState?.serialize();
  if (state !== undefined) {
    expect(state.length).toBeGreaterThan(0);
    expect(state.length).toBeLessThanOrEqual(512);
    expect(state.split(',').length).toBeLessThanOrEqual(32);
    for (const member of state.split(',')) expect(member).toMatch(L2_MEMBER);
  }
}

const L2_MEMBER =
  /^[a-z0-9][a-z0-9_\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Real NATS `MsgHdrs` filled from a hostile record (values NATS itself refuses are skipped). */
function toNatsHeaders(record: Record<string, unknown>): NatsHeaders {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(record)) {
    try {
      h.set(k, String(v));
    } catch {
      // NATS refuses the key or value: such a header cannot arrive on the wire either
    }
  }
  return h;
}

/** Headers objects that are not NATS headers at all, with the traceparent text they hold. */
const foreignHeaders: fc.Arbitrary<{ headers: unknown; tp: unknown }> = fc.oneof(
  hostileHeaderRecord.map((r) => ({ headers: r, tp: r.traceparent })),
  hostileValue(traceparentString).map((v) => ({ headers: v, tp: v })),
  hostileHeaderRecord.map((r) => ({
    headers: { get: () => r.traceparent, keys: () => Object.keys(r) },
    tp: r.traceparent,
  })),
  fc.constant({
    headers: {
      get: () => {
        throw new Error('boom');
      },
      keys: () => {
        throw new Error('boom');
      },
    },
    tp: undefined,
  }),
);

const finishedSpan = (): ReadableSpan => {
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  exporter.reset();
  return spans[0]!;
};

describe('messaging extractors on generated carriers', () => {
  const nats = natsTracing({ tracerProvider });
  const natsLink = natsTracing({ tracerProvider, trustIncoming: 'link' });

  it('NATS headers through the process span (parent and link modes)', () => {
    fc.assert(
      fc.property(hostileHeaderRecord, fc.boolean(), (record, link) => {
        const msg = { subject: 's', headers: toNatsHeaders(record) };
        const value = (link ? natsLink : nats).process(msg, () => 42);
        expect(value).toBe(42);
        const span = finishedSpan();
        assertSafe(span.parentSpanContext ?? span.links[0]?.context, record.traceparent);
        if (link) expect(span.parentSpanContext).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('natsMessageContext on foreign and missing headers', () => {
    fc.assert(
      fc.property(foreignHeaders, ({ headers, tp }) => {
        const ctx = natsMessageContext({ subject: 's', headers: headers as NatsHeaders });
        const remote = trace.getSpanContext(ctx);
        if (remote) assertSafe(remote, tp);
        else expect(ctx).toBe(ROOT_CONTEXT);
      }),
      { numRuns: RUNS },
    );
  });

  /** Job metadata: JSON of a hostile record, raw strings, or not a string at all. */
  const metadata = fc.oneof(
    hostileHeaderRecord.map((r) => ({ text: JSON.stringify(r) as unknown, tp: r.traceparent })),
    traceparentString.map((s) => ({ text: s as unknown, tp: undefined })),
    hostileValue(fc.string({ maxLength: 200 })).map((v) => ({ text: v, tp: undefined })),
  );

  it('BullMQ job metadata: contextFromMetadata, jobContext and the telemetry’s fromMetadata', () => {
    const { contextManager } = bullmqTelemetry({ tracerProvider });
    fc.assert(
      fc.property(metadata, ({ text, tp }) => {
        for (const ctx of [
          contextFromMetadata(text),
          jobContext({ opts: { telemetry: { metadata: text as string } } }),
          contextManager.fromMetadata(ROOT_CONTEXT, text as string),
        ]) {
          const remote = trace.getSpanContext(ctx);
          if (remote) assertSafe(remote, tp);
          else expect(ctx).toBe(ROOT_CONTEXT);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the ws `_trace` envelope', () => {
    const envelope = fc.oneof(hostileHeaderRecord, hostileValue(traceparentString));
    fc.assert(
      fc.property(envelope, fc.object({ maxDepth: 1 }), (field, rest) => {
        const message: Record<string, unknown> = { ...rest, _trace: field };
        const ctx = takeTrace(message);
        expect('_trace' in message).toBe(false);
        const remote = trace.getSpanContext(ctx);
        const tp = (field as { traceparent?: unknown } | null)?.traceparent;
        if (remote) assertSafe(remote, tp);
        else expect(ctx).toBe(ROOT_CONTEXT);
      }),
      { numRuns: RUNS },
    );
  });

  it('always adopts a valid traceparent, exactly, in every carrier', () => {
    fc.assert(
      fc.property(validTraceparent, (tp) => {
        const h = natsHeaders();
        h.set('traceparent', tp);
        const fromNats = trace.getSpanContext(natsMessageContext({ subject: 's', headers: h }));
        const fromJob = trace.getSpanContext(
          contextFromMetadata(JSON.stringify({ traceparent: tp })),
        );
        const fromWs = trace.getSpanContext(takeTrace({ _trace: { traceparent: tp } }));
        for (const sc of [fromNats, fromJob, fromWs])
          expect(`00-${sc?.traceId}-${sc?.spanId}`).toBe(tp.slice(0, 52));
      }),
      { numRuns: 2_000 },
    );
  });
});
