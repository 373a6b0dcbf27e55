import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { RealtimeAgent, realtimeTools, startVoiceCall, wait } from './helpers/realtime.js';
import { CallAttr, RealtimeAttr, RealtimeEvent, TurnAttr } from '../src/index.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

describe('a Realtime session under a call', () => {
  it('opens session, turn and tool spans in the call’s trace, with the right parents', async () => {
    const t = realtimeTools(30);
    const agent = new RealtimeAgent({ name: 'front desk', tools: [t.lookupOrder] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: '42' }, callId: 'call_rt_1' }],
      usage: {
        input_tokens: 120,
        output_tokens: 10,
        input_audio_tokens: 100,
        output_audio_tokens: 0,
      },
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({ audioMs: 200, transcript: 'It shipped.' });
    await v.finish();

    const root = otel.one('call');
    const session = otel.one('gen_ai.realtime.session');
    const turns = otel.byName('invoke_agent front desk');
    const tool = otel.one('execute_tool lookup_order');
    const inside = otel.one('GET /orders/:id');
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([v.call.traceId]));
    expect(parentOf(session)).toBe(idOf(root));
    expect(turns).toHaveLength(2);
    turns.forEach((turn) => expect(parentOf(turn)).toBe(idOf(session)));
    const [first, second] = turns.sort(
      (a, b) => Number(a.attributes[TurnAttr.index]) - Number(b.attributes[TurnAttr.index]),
    );
    expect(parentOf(tool)).toBe(idOf(first!)); // the turn that asked for it, though it had ended
    expect(parentOf(inside)).toBe(idOf(tool)); // the tool span is active while the tool runs

    expect(session.attributes).toMatchObject({
      [RealtimeAttr.transport]: 'websocket',
      [RealtimeAttr.sessionId]: 'sess_fake_1',
      'gen_ai.request.model': 'gpt-realtime',
      'gen_ai.conversation.id': 'voice-1',
      [RealtimeAttr.endReason]: 'closed',
    });
    expect(session.status.code).toBe(0);
    expect(first!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'front desk',
      'gen_ai.response.id': expect.stringMatching(/^resp_/),
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 10,
      [TurnAttr.inputAudioTokens]: 100,
      [TurnAttr.status]: 'completed',
    });
    expect(second!.attributes[TurnAttr.status]).toBe('completed');
    expect(tool.attributes).toMatchObject({
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_rt_1',
      'gen_ai.conversation.id': 'voice-1',
    });
    expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(root.attributes[CallAttr.turns]).toBe(2);
    expect(root.attributes[CallAttr.toolCalls]).toBe(1);
    expect(v.plugin.stats.realtimeTools).toBe(0);
  });

  it('splits the caller’s wait into ours (tools) and the model’s, per turn and on the call', async () => {
    const t = realtimeTools(120);
    const agent = new RealtimeAgent({ name: 'front desk', tools: [t.lookupOrder] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      delayMs: 50,
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: '1' }, callId: 'c1' }],
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({ firstAudioDelayMs: 80, audioMs: 100 });
    // A second exchange: a quick answer with no tools.
    await v.conn.callerSpeech();
    await v.conn.respond({ delayMs: 30, audioMs: 60 });
    await v.finish();

    const turns = otel
      .byName('invoke_agent front desk')
      .sort((a, b) => Number(a.attributes[TurnAttr.index]) - Number(b.attributes[TurnAttr.index]));
    const [asked, answered, quick] = turns.map((s) => s.attributes);
    expect(asked![TurnAttr.responseCreatedMs]).toBeGreaterThanOrEqual(45);
    expect(asked![TurnAttr.firstAudioMs]).toBeUndefined();
    const wait = Number(answered![TurnAttr.firstAudioMs]);
    const ours = Number(answered![TurnAttr.waitOursMs]);
    const model = Number(answered![TurnAttr.waitModelMs]);
    expect(ours).toBeGreaterThanOrEqual(110); // the 120 ms tool, give or take timer slack
    expect(ours).toBeLessThan(wait);
    expect(model).toBeGreaterThanOrEqual(120); // 50 ms think + 80 ms to first audio
    expect(Math.abs(ours + model - wait)).toBeLessThan(1);
    expect(Number(answered![TurnAttr.toolMs])).toBe(ours);
    expect(Number(quick![TurnAttr.firstAudioMs])).toBeGreaterThanOrEqual(25);
    expect(Number(quick![TurnAttr.waitOursMs])).toBe(0);

    const root = otel.one('call').attributes;
    expect(root[CallAttr.firstAudioMaxMs]).toBe(wait);
    expect(Number(root[CallAttr.firstAudioP50Ms])).toBeCloseTo(
      (wait + Number(quick![TurnAttr.firstAudioMs])) / 2,
      0,
    );
    expect(root[CallAttr.turns]).toBe(3);
  });

  it('counts the relay’s delay as ours when it reports audio sent to the caller', async () => {
    const { markAudioSentToCaller } = await import('../src/index.js');
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    v.session.on('audio', () => {
      // A relay that buffers 40 ms before the first chunk reaches the caller.
      setTimeout(() => markAudioSentToCaller(v.session), 40);
    });
    await v.conn.callerSpeech();
    await v.conn.respond({ audioMs: 60, paceMs: 30 });
    await wait(60);
    await v.finish();
    const turn = otel.one('invoke_agent front desk').attributes;
    const received = Number(turn[TurnAttr.firstAudioMs]);
    const sent = Number(turn[TurnAttr.firstAudioSentMs]);
    expect(sent - received).toBeGreaterThanOrEqual(35);
    expect(Number(turn[TurnAttr.waitOursMs])).toBeCloseTo(sent - received, 0);
    expect(otel.one('call').attributes[CallAttr.firstAudioMaxMs]).toBe(sent);
  });

  it('records a barge-in on the interrupted turn and counts it on the call', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    const streaming = v.conn.respond({ audioMs: 3000, paceMs: 10 });
    await wait(150);
    v.conn.callerStartsSpeaking();
    const result = await streaming;
    await wait(20);
    await v.finish();

    expect(result.status).toBe('cancelled');
    const turn = otel.one('invoke_agent front desk');
    expect(turn.attributes[TurnAttr.status]).toBe('interrupted');
    const bargeIn = turn.events.find((e) => e.name === RealtimeEvent.bargeIn);
    expect(bargeIn).toBeDefined();
    const elapsed = Number(bargeIn!.attributes![RealtimeEvent.bargeInElapsedMs]);
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(1000);
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(1);
  });

  it('speech after the agent’s audio has played out is not a barge-in', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ audioMs: 60 });
    await wait(120); // 60 ms of audio has finished playing
    await v.conn.callerSpeech(); // the SDK still emits audio_interrupted here
    await v.conn.respond({ audioMs: 20 });
    await v.finish();
    expect(otel.one('call').attributes[CallAttr.bargeIns]).toBe(0);
    for (const turn of otel.byName('invoke_agent front desk')) {
      expect(turn.events.map((e) => e.name)).not.toContain(RealtimeEvent.bargeIn);
      expect(turn.attributes[TurnAttr.status]).toBe('completed');
    }
  });

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
    v.session.on('error', () => {}); // the app's own handler; calltrace adds none
    v.conn.error('rate_limit_exceeded');
    await wait(30);
    await v.finish();
    const session = otel.one('gen_ai.realtime.session');
    expect(session.status.code).toBe(2);
    const event = session.events.find((e) => e.name === RealtimeEvent.serverError);
    expect(event?.attributes?.['error.type']).toBe('rate_limit_exceeded');
    expect(session.attributes[RealtimeAttr.errors]).toBe(1);
    expect(otel.one('call').attributes[CallAttr.errors]).toBe(1);
  });

  it('a failed response ends its turn ERROR with error.type', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ failWith: 'server_overloaded' });
    await wait(20);
    await v.finish();
    const turn = otel.one('invoke_agent front desk');
    expect(turn.status.code).toBe(2);
    expect(turn.attributes['error.type']).toBe('server_overloaded');
    expect(turn.attributes[TurnAttr.status]).toBe('failed');
  });

  it('a WebSocket dropped mid-turn ends the turn and the session as connection_lost', async () => {
    const agent = new RealtimeAgent({ name: 'front desk' });
    const v = await startVoiceCall(agent);
    v.session.on('error', () => {});
    await v.conn.callerSpeech();
    const streaming = v.conn.respond({ audioMs: 3000, paceMs: 10 });
    await wait(80);
    v.conn.drop();
    await streaming;
    await wait(50);
    v.call.end();
    v.detach();
    await v.server.close();
    const session = otel.one('gen_ai.realtime.session');
    expect(session.attributes[RealtimeAttr.endReason]).toBe('connection_lost');
    expect(session.attributes['error.type']).toBe('connection_lost');
    expect(session.status.code).toBe(2);
    const turn = otel.one('invoke_agent front desk');
    expect(turn.attributes[TurnAttr.status]).toBe('connection_lost');
    expect(otel.one('call').attributes[CallAttr.errors]).toBeGreaterThanOrEqual(1);
  });

  it('a call that ends while a tool runs ends every span; nothing stays open', async () => {
    const t = realtimeTools();
    const agent = new RealtimeAgent({ name: 'front desk', tools: [t.slow] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({ toolCalls: [{ name: 'slow_lookup', arguments: {}, callId: 'c_slow' }] });
    await wait(50); // the tool is running now
    expect(v.plugin.stats.realtimeTools).toBe(1);
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
      'invoke_agent front desk',
    ]);
    expect(otel.one('execute_tool slow_lookup').attributes['calltrace.sdk.unfinished']).toBe(
      'call_ended',
    );
    expect(otel.one('gen_ai.realtime.session').attributes[RealtimeAttr.endReason]).toBe(
      'call_ended',
    );
    expect(v.plugin.stats.realtimeTools).toBe(0);
  });

  it('records handoffs', async () => {
    const billing = new RealtimeAgent({ name: 'billing' });
    const agent = new RealtimeAgent({ name: 'front desk', handoffs: [billing] });
    const v = await startVoiceCall(agent);
    await v.conn.callerSpeech();
    await v.conn.respond({
      toolCalls: [{ name: 'transfer_to_billing', arguments: {}, callId: 'c_h' }],
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({ audioMs: 40 });
    await v.finish();
    const handoff = otel.one('handoff billing');
    expect(handoff.attributes).toMatchObject({
      'calltrace.handoff.from_agent': 'front desk',
      'calltrace.handoff.to_agent': 'billing',
    });
    expect(parentOf(handoff)).toBe(idOf(otel.one('gen_ai.realtime.session')));
    expect(otel.byName('invoke_agent billing')).toHaveLength(1);
  });
});
