import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { RealtimeAgent, realtimeTools, startVoiceCall, wait } from './helpers/realtime.js';
import {
  CallAttr,
  markAudioSentToCaller,
  RealtimeAttr,
  RealtimeEvent,
  ResponseAttr,
  TurnAttr,
  UsageAggregateAttr,
} from '../src/index.js';

// Timing magnitudes are unit-tested on explicit timestamps (realtime-timeline.test.ts); these
// tests drive the real SDK over the fake server and assert the span model and its invariants.
const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

const EXCHANGE = 'invoke_agent front desk';
const RESPONSE = 'realtime_inference gpt-realtime';
const byStart = (spans: ReadableSpan[]) =>
  [...spans].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
const num = (s: ReadableSpan, key: string) => Number(s.attributes[key]);
/** Resolves at the first agent audio the SDK hands to the app. */
const firstAudio = (v: { session: { on(e: 'audio', fn: () => void): unknown } }) =>
  new Promise<void>((resolve) => v.session.on('audio', () => resolve()));
/** Resolves when the SDK has read a server event of `type`. */
const serverEvent = (
  v: { session: { on(e: 'transport_event', fn: (e: any) => void): unknown } },
  type: string,
) =>
  new Promise<void>((resolve) =>
    v.session.on('transport_event', (e: { type: string }) => {
      if (e.type === type) resolve();
    }),
  );
/** Polls until `ok()`: an event to wait for (no timing is asserted on it). */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await wait(5);
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe('the Realtime span model', () => {
  it('one exchange per caller turn: responses and the tool under it, in the call’s trace', async () => {
    const t = realtimeTools(30);
    const agent = new RealtimeAgent({ name: 'front desk', tools: [t.lookupOrder] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: '42' }, callId: 'call_rt_1' }],
      usage: { input_tokens: 120, output_tokens: 10, input_audio_tokens: 100 },
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({
      audioMs: 200,
      transcript: 'It shipped.',
      usage: { input_tokens: 150, output_tokens: 40 },
    });
    await until('the answer played out', () => otel.byName(EXCHANGE).length === 1);
    await v.finish();

    const root = otel.one('call');
    const session = otel.one('gen_ai.realtime.session');
    const exchange = otel.one(EXCHANGE);
    const [asked, answered] = byStart(otel.byName(RESPONSE));
    const tool = otel.one('execute_tool lookup_order');
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([v.call.traceId]));
    expect(parentOf(session)).toBe(idOf(root));
    expect(parentOf(exchange)).toBe(idOf(session));
    expect(parentOf(asked!)).toBe(idOf(exchange));
    expect(parentOf(answered!)).toBe(idOf(exchange));
    expect(parentOf(tool)).toBe(idOf(exchange));
    expect(parentOf(otel.one('GET /orders/:id'))).toBe(idOf(tool));

    expect(session.kind).toBe(2); // CLIENT
    expect(session.attributes).toMatchObject({
      [RealtimeAttr.transport]: 'websocket',
      'gen_ai.realtime_session.id': 'sess_fake_1',
      'gen_ai.request.model': 'gpt-realtime',
      'gen_ai.conversation.id': 'voice-1',
    });
    expect(exchange.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'front desk',
      [TurnAttr.index]: 1,
      [TurnAttr.input]: 'speech',
      [TurnAttr.responses]: 2,
      [TurnAttr.status]: 'answered',
      [UsageAggregateAttr.inputTokens]: 270,
      [UsageAggregateAttr.outputTokens]: 50,
    });
    expect(Object.keys(exchange.attributes).filter((k) => k.startsWith('gen_ai.usage.'))).toEqual(
      [],
    );
    expect(asked!.kind).toBe(2);
    expect(asked!.attributes).toMatchObject({
      'gen_ai.operation.name': 'realtime_inference',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-realtime',
      'gen_ai.realtime_session.id': 'sess_fake_1',
      'gen_ai.response.id': expect.stringMatching(/^resp_/),
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 10,
      'gen_ai.usage.audio.input_tokens': 100,
      'gen_ai.usage.cache_read.input_tokens': 0,
      [ResponseAttr.status]: 'completed',
    });
    expect(answered!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(tool.attributes).toMatchObject({
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.call.id': 'call_rt_1',
    });
    expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(root.attributes[CallAttr.turns]).toBe(1);
    expect(root.attributes[CallAttr.toolCalls]).toBe(1);
    expect(v.plugin.stats.realtimeTools).toBe(0);
  });

  it('writes the caller’s wait on the exchange: source, and ours + model = first audio', async () => {
    const t = realtimeTools(60);
    const agent = new RealtimeAgent({ name: 'front desk', tools: [t.lookupOrder] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: '1' }, callId: 'c1' }],
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({ audioMs: 100 });
    await until('the answer played out', () => otel.byName(EXCHANGE).length === 1);
    await v.conn.callerSpeech(); // a second exchange: a quick answer with no tools
    await v.conn.respond({ audioMs: 60 });
    await until('the second answer played out', () => otel.byName(EXCHANGE).length === 2);
    await v.finish();

    const [slow, quick] = byStart(otel.byName(EXCHANGE));
    const wait = num(slow!, TurnAttr.firstAudioMs);
    expect(slow!.attributes[TurnAttr.firstAudioSource]).toBe('model_audio_received');
    expect(slow!.attributes[TurnAttr.anchor]).toBe('speech_stopped');
    expect(num(slow!, TurnAttr.firstAudioReceivedMs)).toBe(wait);
    expect(num(slow!, TurnAttr.toolMs)).toBeGreaterThan(0);
    expect(num(slow!, TurnAttr.waitOursMs)).toBe(num(slow!, TurnAttr.toolMs));
    expect(num(slow!, TurnAttr.waitOursMs) + num(slow!, TurnAttr.waitModelMs)).toBeCloseTo(wait, 0);
    expect(num(slow!, TurnAttr.responseCreatedMs)).toBeLessThanOrEqual(wait);
    expect(num(quick!, TurnAttr.waitOursMs)).toBe(0);
    const events = slow!.events.map((e) => e.name);
    expect(events).toEqual(
      expect.arrayContaining([RealtimeEvent.speechStopped, RealtimeEvent.firstAudio]),
    );

    const root = otel.one('call').attributes;
    const waits = [wait, num(quick!, TurnAttr.firstAudioMs)];
    expect(root[CallAttr.firstAudioMaxMs]).toBe(Math.max(...waits));
    expect(Number(root[CallAttr.firstAudioP50Ms])).toBeCloseTo((waits[0]! + waits[1]!) / 2, 0);
    expect(root[CallAttr.turns]).toBe(2);
  });

  it('takes the relay’s send as the first audio when it reports one', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    v.session.on('audio', () => setTimeout(() => markAudioSentToCaller(v.session), 20));
    await v.conn.callerSpeech();
    await v.conn.respond({ audioMs: 60, paceMs: 10 });
    await until('the answer played out', () => otel.byName(EXCHANGE).length === 1);
    await v.finish();
    const x = otel.one(EXCHANGE);
    const received = num(x, TurnAttr.firstAudioReceivedMs);
    const sent = num(x, TurnAttr.firstAudioSentMs);
    expect(x.attributes[TurnAttr.firstAudioSource]).toBe('relay_sent');
    expect(num(x, TurnAttr.firstAudioMs)).toBe(sent);
    expect(sent).toBeGreaterThan(received);
    expect(num(x, TurnAttr.waitOursMs)).toBeCloseTo(sent - received, 0);
    expect(otel.one('call').attributes[CallAttr.firstAudioMaxMs]).toBe(sent);
  });

  it('records the session’s turn detection', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent, {
      session: {
        config: {
          audio: {
            input: {
              turnDetection: {
                type: 'server_vad',
                silenceDurationMs: 700,
                interruptResponse: true,
              },
            },
          },
        },
      },
    });
    await v.finish();
    expect(otel.one('gen_ai.realtime.session').attributes).toMatchObject({
      [RealtimeAttr.turnDetectionType]: 'server_vad',
      [RealtimeAttr.turnDetectionSilenceMs]: 700,
      [RealtimeAttr.turnDetectionInterruptResponse]: true,
    });
  });

  it('anchors push-to-talk on input_audio_buffer.committed', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent, {
      session: { config: { audio: { input: { turnDetection: null } } } },
    });
    v.conn.send({
      type: 'input_audio_buffer.committed',
      item_id: 'item_ptt',
      previous_item_id: null,
    });
    await v.conn.respond({ audioMs: 40 });
    await until('the answer played out', () => otel.byName(EXCHANGE).length === 1);
    await v.finish();
    expect(otel.one('gen_ai.realtime.session').attributes[RealtimeAttr.turnDetectionType]).toBe(
      'none',
    );
    const x = otel.one(EXCHANGE);
    expect(x.attributes).toMatchObject({
      [TurnAttr.input]: 'push_to_talk',
      [TurnAttr.anchor]: 'input_committed',
      [TurnAttr.firstAudioSource]: 'model_audio_received',
    });
    expect(num(x, TurnAttr.firstAudioMs)).toBeGreaterThanOrEqual(0);
  });

  it('an exchange without caller audio, or answered without audio, carries no figures', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.respond({ audioMs: 40 }); // a greeting nobody waited for
    // Its exchange ends once its audio has played out: then the caller speaks, no barge-in.
    await until('the greeting played out', () => otel.byName(EXCHANGE).length === 1);
    await v.conn.callerSpeech();
    await v.conn.respond({ transcript: 'text only' }); // answered without audio
    await v.conn.respond({ audioMs: 40 }); // the app's own response.create: nobody spoke
    await until('the last answer played out', () => otel.byName(EXCHANGE).length === 3);
    await v.finish();
    const exchanges = byStart(otel.byName(EXCHANGE));
    expect(exchanges.map((x) => x.attributes[TurnAttr.input])).toEqual(['none', 'speech', 'none']);
    expect(exchanges.map((x) => x.attributes[TurnAttr.status])).toEqual([
      'answered',
      'no_audio',
      'answered',
    ]);
    for (const x of exchanges) expect(x.attributes[TurnAttr.firstAudioMs]).toBeUndefined();
    expect(otel.one('call').attributes[CallAttr.firstAudioMaxMs]).toBeUndefined();
  });
});

describe('barge-in and interruptions', () => {
  it('records a barge-in on the exchange whose audio was cut, with the truncation point', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    const speaking = firstAudio(v);
    // Sent much faster than it plays, like the real API: the first chunk alone plays for a
    // second, so it is still playing when the caller cuts in, however slow this machine is.
    const streaming = v.conn.respond({ audioMs: 3000, chunkMs: 1000, paceMs: 10 });
    await speaking;
    const truncating = v.conn.nextClientEvent('conversation.item.truncate');
    const truncated = serverEvent(v, 'conversation.item.truncated');
    v.conn.callerStartsSpeaking();
    const truncate = await truncating;
    await truncated; // the SDK has read the server's answer
    const result = await streaming;
    await v.finish();

    const [cut] = byStart(otel.byName(EXCHANGE));
    expect(cut!.attributes[TurnAttr.status]).toBe('interrupted');
    expect(cut!.attributes[TurnAttr.interruptedBy]).toBe('barge_in');
    const bargeIn = cut!.events.find((e) => e.name === RealtimeEvent.bargeIn)!;
    expect(bargeIn.attributes).toMatchObject({
      'gen_ai.response.id': result.responseId,
      [RealtimeEvent.bargeInAudioEndMs]: truncate.audio_end_ms,
    });
    expect(Number(bargeIn.attributes![RealtimeEvent.bargeInElapsedMs])).toBeGreaterThan(0);
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(1);
  });

  it('speech after the agent’s audio has played out is not a barge-in', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ audioMs: 40 });
    await until('the answer played out', () => otel.byName(EXCHANGE).length === 1);
    await v.conn.callerSpeech(); // the SDK still emits audio_interrupted here
    await v.conn.respond({ audioMs: 20 });
    await until('the second answer played out', () => otel.byName(EXCHANGE).length === 2);
    await v.finish();
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(0);
    for (const x of otel.byName(EXCHANGE)) {
      expect(x.events.map((e) => e.name)).not.toContain(RealtimeEvent.bargeIn);
      expect(x.attributes[TurnAttr.status]).toBe('answered');
    }
  });

  it('session.interrupt() is a manual interruption, never a barge-in', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    const speaking = firstAudio(v);
    const streaming = v.conn.respond({ audioMs: 3000, chunkMs: 100, paceMs: 10 });
    await speaking;
    v.session.interrupt();
    await streaming;
    await v.finish();
    const x = otel.one(EXCHANGE);
    expect(x.attributes[TurnAttr.interruptedBy]).toBe('manual');
    const event = x.events.find((e) => e.name === RealtimeEvent.interrupted);
    expect(event?.attributes?.[RealtimeEvent.interruptionKind]).toBe('manual');
    expect(x.events.map((e) => e.name)).not.toContain(RealtimeEvent.bargeIn);
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(0);
  });

  it('an output guardrail’s interruption is recorded as guardrail, never a barge-in', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent, {
      session: {
        outputGuardrails: [
          {
            name: 'no_account_numbers',
            execute: async ({ agentOutput }: { agentOutput: string }) => ({
              tripwireTriggered: agentOutput.includes('account'),
              outputInfo: {},
            }),
          },
        ],
        outputGuardrailSettings: { debounceTextLength: 1 },
      },
    });
    v.session.on('error', () => {});
    await v.conn.callerSpeech();
    const tripped = new Promise((r) => v.session.on('guardrail_tripped', r));
    const streaming = v.conn.respond({
      audioMs: 2000,
      paceMs: 10,
      transcript: 'Your account number',
    });
    await tripped;
    await streaming;
    await v.finish();
    const [x] = byStart(otel.byName(EXCHANGE));
    expect(x!.attributes[TurnAttr.interruptedBy]).toBe('guardrail');
    expect(x!.events.map((e) => e.name)).toContain(RealtimeEvent.guardrailTripped);
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(0);
  });

  it('on server-played audio (output_audio_buffer.*): first audio and barge-in from the buffer', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    // What the SIP sideband / WebRTC data channel carry: no deltas, the server's buffer events.
    const responseId = 'resp_rtp';
    const response = { id: responseId, object: 'realtime.response', output: [] };
    v.conn.send({ type: 'response.created', response: { ...response, status: 'in_progress' } });
    v.conn.send({ type: 'output_audio_buffer.started', response_id: responseId });
    v.conn.send({ type: 'response.done', response: { ...response, status: 'completed' } });
    const cleared = serverEvent(v, 'output_audio_buffer.cleared');
    v.conn.callerStartsSpeaking(); // the same socket: it arrives after the buffer started
    v.conn.send({ type: 'output_audio_buffer.cleared', response_id: responseId });
    await cleared;
    await v.finish();
    const [x] = byStart(otel.byName(EXCHANGE));
    expect(x!.attributes[TurnAttr.firstAudioSource]).toBe('server_output_buffer_started');
    const bargeIn = x!.events.find((e) => e.name === RealtimeEvent.bargeIn);
    expect(bargeIn?.attributes?.['gen_ai.response.id']).toBe(responseId);
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(1);
  });
});

describe('errors and endings', () => {
  it('marks a throwing tool ERROR and counts it on the call', async () => {
    const t = realtimeTools();
    const agent = new RealtimeAgent({ name: 'billing', tools: [t.failing] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      toolCalls: [{ name: 'charge_card', arguments: { amount: 5 }, callId: 'c_fail' }],
    });
    const output = await v.conn.nextClientEvent('conversation.item.create');
    await v.finish();
    expect(output.item.output).toContain('An error occurred');
    const tool = otel.one('execute_tool charge_card');
    expect(tool.status.code).toBe(2);
    expect(tool.attributes['error.type']).toBe('tool_error');
    expect(otel.one('call').attributes[CallAttr.toolErrors]).toBe(1);
  });

  it('records a server error on the session and counts it', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    // The app's own handler (calltrace adds none); it also tells us the SDK has read the error.
    const received = new Promise((resolve) => v.session.on('error', resolve));
    v.conn.error('rate_limit_exceeded');
    await received;
    await v.finish();
    const session = otel.one('gen_ai.realtime.session');
    expect(session.status.code).toBe(2);
    const event = session.events.find((e) => e.name === RealtimeEvent.serverError);
    expect(event?.attributes?.['error.type']).toBe('rate_limit_exceeded');
    expect(session.attributes[RealtimeAttr.errors]).toBe(1);
    expect(otel.one('call').attributes[CallAttr.errors]).toBe(1);
  });

  it('a failed response ends its span ERROR with error.type and finish reason error', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ failWith: 'server_overloaded' });
    await until('the failed response', () => otel.byName(RESPONSE).length === 1);
    await v.finish();
    const response = otel.one(RESPONSE);
    expect(response.status.code).toBe(2);
    expect(response.attributes).toMatchObject({
      'error.type': 'server_overloaded',
      'gen_ai.response.finish_reasons': ['error'],
      [ResponseAttr.status]: 'failed',
    });
    expect(otel.one(EXCHANGE).attributes[TurnAttr.status]).toBe('failed');
  });

  it('a server close with code 1000 is a normal end: closed, no error', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ audioMs: 20 });
    v.conn.close(1000);
    await until('the session ended', () => otel.byName('gen_ai.realtime.session').length === 1);
    await v.finish();
    const session = otel.one('gen_ai.realtime.session');
    expect(session.attributes[RealtimeAttr.endReason]).toBe('closed');
    expect(session.status.code).toBe(0);
    expect(otel.one('call').attributes[CallAttr.errors]).toBe(0);
  });

  it('a WebSocket dropped mid-response ends everything as connection_lost', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    v.session.on('error', () => {});
    await v.conn.callerSpeech();
    const speaking = firstAudio(v);
    const streaming = v.conn.respond({ audioMs: 3000, chunkMs: 100, paceMs: 10 });
    await speaking;
    v.conn.drop();
    await streaming;
    await until('the session ended', () => otel.byName('gen_ai.realtime.session').length === 1);
    v.call.end();
    v.detach();
    await v.server.close();
    const session = otel.one('gen_ai.realtime.session');
    expect(session.attributes[RealtimeAttr.endReason]).toBe('connection_lost');
    expect(session.attributes['error.type']).toBe('connection_lost');
    expect(session.status.code).toBe(2);
    expect(otel.one(RESPONSE).attributes[ResponseAttr.status]).toBe('connection_lost');
    expect(otel.one(RESPONSE).attributes['gen_ai.response.finish_reasons']).toEqual(['error']);
    expect(otel.one(EXCHANGE).attributes[TurnAttr.status]).toBe('unfinished');
    expect(otel.one('call').attributes[CallAttr.errors]).toBe(1);
  });

  it('a call that ends while a tool runs ends every span; nothing stays open', async () => {
    const t = realtimeTools();
    const agent = new RealtimeAgent({ name: 'front desk', tools: [t.slow] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ toolCalls: [{ name: 'slow_lookup', arguments: {}, callId: 'c_slow' }] });
    await until('the tool runs', () => v.plugin.stats.realtimeTools === 1);
    v.call.end({ reason: 'caller_hangup' });
    v.session.close();
    v.detach();
    await wait(450); // let the tool finish after the call
    await v.server.close();
    const names = otel
      .spans()
      .map((s) => s.name)
      .sort();
    expect(names).toEqual([
      'call',
      'execute_tool slow_lookup',
      'gen_ai.realtime.session',
      EXCHANGE,
      RESPONSE,
    ]);
    expect(otel.one('execute_tool slow_lookup').attributes['calltrace.sdk.unfinished']).toBe(
      'call_ended',
    );
    expect(otel.one('gen_ai.realtime.session').attributes[RealtimeAttr.endReason]).toBe(
      'call_ended',
    );
    expect(v.plugin.stats.realtimeTools).toBe(0);
  });

  it('records handoffs under the exchange', async () => {
    const billing = new RealtimeAgent({ name: 'billing' });
    const agent = new RealtimeAgent({ name: 'front desk', handoffs: [billing] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      toolCalls: [{ name: 'transfer_to_billing', arguments: {}, callId: 'c_h' }],
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({ audioMs: 40 });
    await until('the answer played out', () => otel.byName(EXCHANGE).length === 1);
    await v.finish();
    const handoff = otel.one('handoff billing');
    expect(handoff.attributes).toMatchObject({
      'calltrace.handoff.from_agent': 'front desk',
      'calltrace.handoff.to_agent': 'billing',
    });
    expect(parentOf(handoff)).toBe(idOf(otel.one(EXCHANGE)));
    const after = otel
      .byName(RESPONSE)
      .find((r) => String(r.attributes['gen_ai.response.finish_reasons']) === 'stop');
    expect(after!.attributes['gen_ai.agent.name']).toBe('billing');
  });
});
