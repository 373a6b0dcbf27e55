import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeWebSocket, RealtimeSession } from '@openai/agents-realtime';
import { WebSocket } from 'ws';
import { setupOtel } from './helpers/otel.js';
import { RealtimeAgent, startVoiceCall, wait } from './helpers/realtime.js';
import { FakeRealtimeServer } from '../src/testing/index.js';
import {
  RealtimeEvent,
  callTracing,
  realtimeSessionTracing,
  startCall,
  tracedRealtimeWebSocket,
  withClientSecretTracing,
  withSipAcceptTracing,
} from '../src/index.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

describe('the OpenAI side of a voice call', () => {
  it('the upgrade request carries the call’s traceparent, and the session’s tracing config names the call', async () => {
    const server = await FakeRealtimeServer.start();
    const call = startCall({ callId: 'corr-rt' });
    const transport = new OpenAIRealtimeWebSocket({
      createWebSocket: tracedRealtimeWebSocket(call, WebSocket) as any,
    });
    const session = new RealtimeSession(new RealtimeAgent({ name: 'a' }), {
      transport,
      model: 'gpt-realtime',
      ...realtimeSessionTracing(call),
    });
    const connection = server.nextConnection();
    await session.connect({ apiKey: 'k', url: server.url });
    const conn = await connection;
    const update = await conn.nextClientEvent('session.update', 0);
    const tracingUpdate = conn.clientEvents.find((e) => e.session?.tracing !== undefined) ?? update;
    session.close();
    call.end();
    await server.close();

    expect(server.upgradeHeaders[0]!.traceparent).toBe(call.traceparent);
    expect(server.upgradeHeaders[0]!.authorization).toBe('Bearer k');
    expect(tracingUpdate.session.tracing).toEqual({
      workflow_name: 'calltrace call',
      group_id: 'corr-rt',
      metadata: { calltrace_trace_id: call.traceId, call_id: 'corr-rt' },
    });
  });

  it('client secrets and SIP accept bodies get the call’s tracing config', () => {
    const call = startCall({ callId: 'rtc_123' });
    const tracing = {
      workflow_name: 'calltrace call',
      group_id: 'rtc_123',
      metadata: { calltrace_trace_id: call.traceId, call_id: 'rtc_123' },
    };
    expect(
      withClientSecretTracing(call, { session: { type: 'realtime', model: 'gpt-realtime' } }),
    ).toEqual({ session: { type: 'realtime', model: 'gpt-realtime', tracing } });
    expect(withSipAcceptTracing(call, { type: 'realtime', model: 'gpt-realtime' })).toEqual({
      type: 'realtime',
      model: 'gpt-realtime',
      tracing,
    });
    call.end();
  });
});

describe('Realtime attach details', () => {
  it('records a tripped output guardrail on the turn', async () => {
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
        outputGuardrailSettings: { debounceTextLength: -1 },
      },
    });
    v.session.on('error', () => {});
    await v.conn.callerSpeech();
    await v.conn.respond({ audioMs: 40, transcript: 'Your account number is 1234' });
    await wait(50);
    await v.finish();
    const events = otel.spans().flatMap((s) => s.events.map((e) => ({ span: s.name, ...e })));
    const tripped = events.find((e) => e.name === RealtimeEvent.guardrailTripped);
    expect(tripped?.attributes?.['calltrace.guardrail.name']).toBe('no_account_numbers');
  });

  it('captures tool arguments and results only with captureContent', async () => {
    const { realtimeTools } = await import('./helpers/realtime.js');
    for (const captureContent of [false, true]) {
      otel.reset();
      const t = realtimeTools(1);
      const server = await FakeRealtimeServer.start();
      const call = startCall();
      const session = new RealtimeSession(
        new RealtimeAgent({ name: 'a', tools: [t.lookupOrder] }),
        {
          transport: 'websocket',
        },
      );
      const detach = call.run(() => callTracing({ captureContent }).attach(session));
      const connection = server.nextConnection();
      await session.connect({ apiKey: 'k', url: server.url });
      const conn = await connection;
      await conn.callerSpeech();
      await conn.respond({
        toolCalls: [{ name: 'lookup_order', arguments: { orderId: '9' }, callId: 'c9' }],
      });
      await conn.nextClientEvent('response.create');
      session.close();
      call.end();
      detach();
      await server.close();
      const tool = otel.one('execute_tool lookup_order');
      expect(tool.attributes['gen_ai.tool.call.arguments']).toBe(
        captureContent ? '{"orderId":"9"}' : undefined,
      );
      expect(tool.attributes['gen_ai.tool.call.result']).toBe(
        captureContent ? 'order 9: shipped' : undefined,
      );
    }
  });

  it('detaching restores the session and ends its spans', async () => {
    const server = await FakeRealtimeServer.start();
    const call = startCall();
    const session = new RealtimeSession(new RealtimeAgent({ name: 'a' }), {
      transport: 'websocket',
    });
    const originalClose = session.close;
    const detach = call.run(() => callTracing().attach(session));
    expect(Object.prototype.hasOwnProperty.call(session, 'close')).toBe(true);
    detach();
    expect(session.close).toBe(originalClose);
    const connection = server.nextConnection();
    await session.connect({ apiKey: 'k', url: server.url });
    const conn = await connection;
    await conn.callerSpeech();
    await conn.respond({ audioMs: 20 });
    await wait(30);
    session.close();
    call.end();
    await server.close();
    expect(otel.byName('invoke_agent a')).toHaveLength(0);
    expect(otel.byName('gen_ai.realtime.session')).toHaveLength(0); // detached before it opened
  });
});
