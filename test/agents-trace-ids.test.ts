import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Agent, run, setTraceProcessors, setTracingDisabled, type Trace } from '@openai/agents';
import { assistantMessage } from '@openai/agents-core/testing';
import { GenerationSpanModel } from './helpers/agents.js';
import { callTracing, openAICorrelation, realtimeTracingConfig, startCall } from '../src/index.js';
import { claimOpenAITraceId } from '../src/agents/trace-ids.js';
import { contextWithCall } from '../src/call-context.js';
import { CallState } from '../src/call-state.js';
import { openEdgeCall, resumeCall } from '../src/edge/index.js';

/**
 * `trace_<OTel trace id>` on the OpenAI side: claimed only for a valid trace id, once per call,
 * also across an edge resume. The OTel API runs with a context manager; calls that need a
 * recording trace pass their own tracer provider.
 */

const ZERO_TRACE_ID = '0'.repeat(32);
const seen: Array<{ traceId: string; groupId: string | null; metadata: Record<string, any> }> = [];
const recorder = {
  onTraceStart: async () => {},
  onTraceEnd: async (t: Trace) => {
    seen.push({ traceId: t.traceId, groupId: t.groupId, metadata: { ...t.metadata } });
  },
  onSpanStart: async () => {},
  onSpanEnd: async () => {},
  shutdown: async () => {},
  forceFlush: async () => {},
};

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const plugin = callTracing();
const agent = new Agent({
  name: 'solo',
  model: new GenerationSpanModel(Array.from({ length: 20 }, () => [assistantMessage('ok')])),
});
let detach: () => void = () => {};

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  setTracingDisabled(false); // vitest sets NODE_ENV=test
  setTraceProcessors([recorder]);
  detach = plugin.attach(agent);
});
afterAll(() => {
  detach();
  setTraceProcessors([]);
  context.disable();
  trace.disable();
});

/** Runs the agent once inside `inCall` and returns the OpenAI-side trace it produced. */
async function sdkTraceOf(inCall: <T>(fn: () => T) => T) {
  const before = seen.length;
  await inCall(() => run(agent, 'hi'));
  expect(seen).toHaveLength(before + 1);
  return seen[before]!;
}

describe('no tracer provider registered', () => {
  it('each call still gets its own valid trace id and claims its own trace_<id>', async () => {
    const a = startCall({ callId: 'no-sdk-a' });
    const b = startCall({ callId: 'no-sdk-b' });
    for (const c of [a, b]) expect(c.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    const ta = await sdkTraceOf((fn) => a.run(fn));
    const tb = await sdkTraceOf((fn) => b.run(fn));
    expect(ta.traceId).toBe(`trace_${a.traceId}`);
    expect(tb.traceId).toBe(`trace_${b.traceId}`);
    expect(ta.traceId).not.toBe(tb.traceId);
  });
});

describe('an invalid (all-zero) trace id', () => {
  const zeroCall = () =>
    new CallState('zero', trace.wrapSpanContext(INVALID_SPAN_CONTEXT), ZERO_TRACE_ID);

  it('is never claimed, and does not use up the call’s claim', () => {
    const call = zeroCall();
    expect(claimOpenAITraceId(call)).toBeUndefined();
    expect(call.openaiTraceIdClaimed).toBe(false);
  });

  it('an SDK run in such a call keeps a random OpenAI trace id; two such calls never share one', async () => {
    const ids = [];
    for (const state of [zeroCall(), zeroCall()]) {
      const ctx = contextWithCall(ROOT_CONTEXT, state);
      const t = await sdkTraceOf((fn) => context.with(ctx, fn));
      expect(t.groupId).toBe('zero');
      expect(t.metadata).toEqual({ call_id: 'zero' });
      ids.push(t.traceId);
    }
    expect(ids[0]).not.toBe(`trace_${ZERO_TRACE_ID}`);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('gives no OpenAI trace id and leaves it out of the metadata; the call id still groups', () => {
    const c = openAICorrelation('zero', ZERO_TRACE_ID);
    expect(c.traceId).toBeUndefined();
    expect(c.traceMetadata).toEqual({ call_id: 'zero' });
    expect(realtimeTracingConfig(c).metadata).toEqual({ call_id: 'zero' });
    expect(openAICorrelation('ok', 'ab'.repeat(16)).traceId).toBe(`trace_${'ab'.repeat(16)}`);
  });
});

describe('a valid trace id', () => {
  it('two calls: each claims its own trace_<id>, once; a second run in a call gets a fresh id', async () => {
    const a = startCall({ callId: 'valid-a', tracerProvider: provider });
    const b = startCall({ callId: 'valid-b', tracerProvider: provider });
    expect(a.traceId).not.toBe(b.traceId);
    const first = await sdkTraceOf((fn) => a.run(fn));
    const again = await sdkTraceOf((fn) => a.run(fn));
    const other = await sdkTraceOf((fn) => b.run(fn));
    expect(first.traceId).toBe(`trace_${a.traceId}`);
    expect(a.openai.traceId).toBe(`trace_${a.traceId}`);
    expect(other.traceId).toBe(`trace_${b.traceId}`);
    expect(again.traceId).not.toBe(first.traceId);
    expect(again.traceId).toMatch(/^trace_[0-9a-f]{32}$/);
    expect(again.metadata).toMatchObject({ calltrace_trace_id: a.traceId, call_id: 'valid-a' });
    // The root span names the claimed OpenAI trace (the lookup page links to it).
    a.end();
    const root = exporter
      .getFinishedSpans()
      .find((s) => s.spanContext().traceId === a.traceId && s.name === 'call');
    expect(root?.attributes['calltrace.openai.trace_id']).toBe(`trace_${a.traceId}`);
  });
});

describe('calltrace/edge', () => {
  it('the opening activation claims trace_<id>; a resumed activation never claims it again', async () => {
    const opened = openEdgeCall({ callId: 'edge-claim', tracerProvider: provider });
    const first = await sdkTraceOf((fn) => opened.run(fn));
    expect(first.traceId).toBe(`trace_${opened.traceId}`);

    // A later activation knows only the stored snapshot.
    const stored = JSON.parse(JSON.stringify(opened.snapshot));
    for (const reason of ['wake', 'reconnect']) {
      const resumed = resumeCall(stored, { reason, tracerProvider: provider })!;
      expect(resumed.traceId).toBe(opened.traceId);
      const t = await sdkTraceOf((fn) => resumed.run(fn));
      expect(t.traceId).not.toBe(first.traceId);
      expect(t.groupId).toBe('edge-claim');
      expect(t.metadata).toMatchObject({ calltrace_trace_id: opened.traceId });
    }
  });

  it('a resumed activation does not claim it even when the opening one never did', async () => {
    const opened = openEdgeCall({ callId: 'edge-unclaimed', tracerProvider: provider });
    const resumed = resumeCall(opened.snapshot, { tracerProvider: provider })!;
    const t = await sdkTraceOf((fn) => resumed.run(fn));
    expect(t.traceId).not.toBe(`trace_${opened.traceId}`);
    expect(t.groupId).toBe('edge-unclaimed');
  });
});
