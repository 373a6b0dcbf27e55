import { SpanKind, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeAttr, TurnAttr } from '../src/attributes.js';
import { startCall } from '../src/call.js';
import { ATTR_GEN_AI_CONVERSATION_ID } from '../src/semconv.js';
import { createCallIndex, type CallIndex } from '../src/store/index.js';
import { setupOtel } from './helpers/otel.js';

/**
 * The index follows each call's lifecycle from its spans once its span processor is
 * registered; `track` adds the numbers the root span only carries masked.
 */
const index: CallIndex = createCallIndex({
  hashKey: 'tracking-key-0123456789',
  flushIntervalMs: 10,
});
const otel = setupOtel([index.spanProcessor]);
beforeAll(() => index.ready());
afterAll(async () => {
  await otel.shutdown(); // shuts the processor down, which closes the index
});

describe('call index lifecycle', () => {
  it('indexes a call from its root span and the numbers given to track()', async () => {
    const call = startCall({
      callId: 'life-1',
      from: '+1 (555) 010-0100',
      to: '+1 555 010 9999',
      provider: 'twilio',
      providerCallId: 'CAlife1',
    });
    index.track(call, { from: '+1 (555) 010-0100' });
    await index.flush();
    const [live] = await index.lookupByNumber('555-010-0100');
    expect(live).toMatchObject({
      callId: 'life-1',
      traceId: call.traceId,
      status: 'in-progress',
      endedAt: null,
      providerCallId: 'CAlife1',
      provider: 'twilio',
      direction: 'inbound',
      calleeLast4: '9999',
      callerLast4: '0100',
    });
    call.end({ status: 'completed' });
    await index.flush();
    const [ended] = await index.lookupByNumber('555-010-0100');
    const root = otel.one('call');
    expect(ended!.status).toBe('completed');
    expect(ended!.error).toBe(false);
    expect(ended!.startedAt!.getTime()).toBe(
      Math.floor(root.startTime[0] * 1000 + root.startTime[1] / 1e6),
    );
    expect(ended!.endedAt!.getTime()).toBe(
      Math.floor(root.endTime[0] * 1000 + root.endTime[1] / 1e6),
    );
  });

  it('indexes the callee number without track(), and the caller when the app opted into capturing it', async () => {
    const call = startCall({
      callId: 'life-2',
      from: '+15550100222',
      to: '+15550109222',
      captureCallerNumber: true,
    });
    call.end();
    await index.flush();
    expect((await index.lookupByNumber('+15550109222')).map((c) => c.callId)).toEqual(['life-2']);
    expect((await index.lookupByNumber('+15550100222')).map((c) => c.callId)).toEqual(['life-2']);
  });

  it('does not index the caller from the masked attribute alone', async () => {
    const call = startCall({ callId: 'life-3', from: '+15550100333' });
    call.end();
    await index.flush();
    expect(await index.lookupByNumber('+15550100333')).toEqual([]);
    expect((await index.lookupByCallId('life-3'))[0]!.callerLast4).toBeNull();
  });

  it('records a failed call with its error flag and status', async () => {
    const call = startCall({ callId: 'life-4' });
    call.end({ error: new Error('media lost') });
    await index.flush();
    expect((await index.lookupByCallId('life-4'))[0]).toMatchObject({
      status: 'failed',
      error: true,
    });
  });

  it('records first-audio latency from the root span when the call has it', async () => {
    const call = startCall({ callId: 'life-5' });
    call.state.recordFirstAudio(420);
    call.state.recordFirstAudio(900);
    call.end();
    await index.flush();
    expect((await index.lookupByCallId('life-5'))[0]).toMatchObject({
      firstAudioMaxMs: 900,
      firstAudioP50Ms: 660,
    });
  });

  it('records the OpenAI session id from the Realtime session span', async () => {
    const call = startCall({ callId: 'life-6', providerCallId: 'rtc_abc' });
    call.run(() => {
      const session = trace.getTracer('t').startSpan('gen_ai.realtime.session', {
        kind: SpanKind.CLIENT,
        attributes: { [ATTR_GEN_AI_CONVERSATION_ID]: 'life-6' },
      });
      session.setAttribute(RealtimeAttr.sessionId, 'sess_life6');
      session.end();
    });
    call.end();
    await index.flush();
    expect((await index.lookup('sess_life6')).map((c) => [c.callId, c.providerCallId])).toEqual([
      ['life-6', 'rtc_abc'],
    ]);
    expect((await index.lookup('rtc_abc')).map((c) => c.callId)).toEqual(['life-6']);
  });

  it('marks a call whose tool failed as an error, with its error count', async () => {
    const call = startCall({ callId: 'life-tool' });
    call.state.recordToolCall(false);
    call.state.recordToolCall(true);
    call.end({ status: 'completed' });
    await index.flush();
    expect((await index.lookupByCallId('life-tool'))[0]).toMatchObject({
      status: 'completed',
      error: true,
      errorCount: 1,
      toolCalls: 2,
      toolErrors: 1,
    });
  });

  it('sums the wait split of the call over its turns, a turn ending after the call included', async () => {
    const call = startCall({ callId: 'life-wait' });
    const tracer = trace.getTracer('t');
    const turn = (ours: number, model: number) =>
      call.run(() =>
        tracer.startSpan('invoke_agent front desk', {
          attributes: {
            [TurnAttr.index]: 1,
            [TurnAttr.waitOursMs]: ours,
            [TurnAttr.waitModelMs]: model,
          },
        }),
      );
    turn(120, 520).end();
    const late = turn(30.25, 400);
    call.run(() => tracer.startSpan('invoke_agent front desk').end()); // a turn without figures
    call.end();
    late.end();
    await index.flush();
    expect((await index.lookupByCallId('life-wait'))[0]).toMatchObject({
      waitOursMs: 150.3,
      waitModelMs: 920,
    });
  });

  it('records the transport from the Realtime session span', async () => {
    const call = startCall({ callId: 'life-transport' });
    call.run(() =>
      trace
        .getTracer('t')
        .startSpan('gen_ai.realtime.session', {
          attributes: {
            [ATTR_GEN_AI_CONVERSATION_ID]: 'life-transport',
            [RealtimeAttr.sessionId]: 'sess_transport',
            [RealtimeAttr.transport]: 'sip',
          },
        })
        .end(),
    );
    call.end();
    await index.flush();
    expect((await index.lookupByCallId('life-transport'))[0]!.transport).toBe('sip');
  });

  it('ignores spans that are not calls', async () => {
    const before = index.queued;
    trace
      .getTracer('t')
      .startSpan('GET /health', { attributes: { 'calltrace.call.id': 'not-a-root' } })
      .end();
    expect(index.queued).toBe(before);
    expect(await index.lookupByCallId('not-a-root')).toEqual([]);
  });
});

describe('call index off the call path', () => {
  it('neither throws nor waits when the database is unreachable, and bounds its queue', async () => {
    const down = createCallIndex({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      hashKey: 'tracking-key-0123456789',
      maxQueueSize: 5,
    });
    const started = performance.now();
    for (let i = 0; i < 10; i++) {
      down.record({ callId: `down-${i}`, from: '+15550100100', startedAt: new Date() });
      down.spanProcessor.onEnd({
        attributes: {},
        startTime: [0, 0],
        endTime: [0, 0],
        status: { code: 0 },
        spanContext: () => ({ traceId: '' }),
      });
    }
    expect(performance.now() - started).toBeLessThan(200);
    expect(down.queued).toBe(5);
    expect(down.dropped).toBe(5);
    expect(await down.flush(300)).toBe(false); // still retrying, nothing lost from the queue
    expect(down.queued).toBe(5);
    await down.close(100);
    expect(down.dropped).toBe(10); // what was still queued at close is counted, not silently lost
  });

  it('survives a span processor fed garbage', () => {
    const p = index.spanProcessor;
    expect(() => p.onStart(null as never)).not.toThrow();
    expect(() => p.onEnd({} as never)).not.toThrow();
  });
});
