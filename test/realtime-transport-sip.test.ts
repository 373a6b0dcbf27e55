/**
 * SIP: the SDK's real `OpenAIRealtimeSIP` (the sideband WebSocket opened with the call's
 * `call_id`) on a call opened the way `calltrace/openai-sip` opens it, against the fake server
 * in SIP mode. The audio goes to the phone over RTP, so the sideband never sees
 * `response.output_audio.delta`: first audio, barge-ins and the end come from the server's
 * `output_audio_buffer.*` events and the sideband's close.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeSIP, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { SpanStatusCode } from '@opentelemetry/api';
import { callTracing } from '../src/index.js';
import { FakeRealtimeServer, type FakeRealtimeConnection } from '../src/testing/index.js';
import { openOpenAISipCall } from '../src/webhooks/index.js';
import { setupOtel } from './helpers/otel.js';
import { bargeIns, exchanges, K, msBetween, until, wait } from './helpers/realtime-transports.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

const CALL_ID = 'rtc_sip_transport_1';
type Json = Record<string, any>;

/** A SIP call as calltrace/openai-sip opens it, its sideband traced, on the fake in SIP mode. */
async function sipCall() {
  const server = await FakeRealtimeServer.start();
  const opened = openOpenAISipCall({
    call_id: CALL_ID,
    sip_headers: [{ name: 'From', value: '<sip:+15550100100@pstn.example>' }],
  });
  opened.endInvite(200);
  const plugin = callTracing();
  const session = new RealtimeSession(new RealtimeAgent({ name: 'front desk' }), {
    transport: new OpenAIRealtimeSIP(),
    model: 'gpt-realtime',
  });
  session.on('error', () => {});
  const seen: Json[] = [];
  session.on('transport_event', (e) => seen.push(e as Json));
  const detach = opened.call.run(() => plugin.attach(session));
  const next = server.nextConnection();
  await session.connect({ apiKey: 'test', callId: CALL_ID, url: server.sipUrl(CALL_ID) });
  const conn: FakeRealtimeConnection = await next;
  expect(conn.mode).toBe('sip');
  await conn.nextClientEvent('session.update', 0);
  const has = (type: string) => seen.some((e) => e.type === type);
  return {
    server,
    conn,
    session,
    seen,
    has,
    call: opened.call,
    /** The caller hangs up: the sideband closes normally; then the call ends. */
    async hangUp() {
      conn.hangUp();
      await until(() => otel.byName(K.session).length === 1, 'the session span');
      opened.call.end();
      detach();
      await server.close();
    },
  };
}

describe('SIP (OpenAIRealtimeSIP sideband)', () => {
  it('first audio is when the server’s output buffer started, and the span says so', async () => {
    const v = await sipCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ delayMs: 80, audioMs: 100, transcript: 'Hello there.' });
    await until(() => v.has('output_audio_buffer.stopped'), 'playback end');
    await v.hangUp();

    expect(v.seen.map((e) => e.type)).not.toContain('response.output_audio.delta');
    const [exchange] = exchanges(otel.spans(), 'front desk');
    const a = exchange!.attributes;
    expect(a[K.firstAudioSource]).toBe('server_output_buffer_started');
    expect(a[K.firstAudioReceivedMs]).toBeUndefined(); // no deltas on SIP
    const firstAudio = Number(a[K.firstAudioMs]);
    expect(firstAudio).toBeGreaterThanOrEqual(75); // the 80 ms the model took, at least
    // The figure is the distance between the two events the span records.
    expect(msBetween(exchange!, K.speechStopped, K.outputStarted)).toBeCloseTo(firstAudio, 0);
    expect(a[K.turnStatus]).toBe('answered');
  });

  it('a caller cutting into the audio is a barge-in on that response, at the server’s truncation point', async () => {
    const v = await sipCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    const streaming = v.conn.respond({ audioMs: 3000, paceMs: 5 });
    await until(() => v.has('output_audio_buffer.started'), 'playback start');
    await wait(150); // the caller hears 150 ms, then talks
    v.conn.callerStartsSpeaking();
    const cut = await streaming;
    await until(() => v.has('conversation.item.truncated'), 'server truncation');
    await wait(20);
    await v.conn.callerSpeech({ speechMs: 20 }); // ...and finishes the sentence
    await v.conn.respond({ audioMs: 40 });
    await until(() => v.has('output_audio_buffer.stopped'), 'second answer played');
    await v.hangUp();

    expect(cut).toMatchObject({ status: 'cancelled', reason: 'turn_detected' });
    const truncated = v.seen.find((e) => e.type === 'conversation.item.truncated')!;
    const [first] = exchanges(otel.spans(), 'front desk');
    const events = bargeIns(first!);
    expect(events).toHaveLength(1);
    expect(events[0]!.attributes).toMatchObject({
      [K.responseId]: cut.responseId,
      [K.bargeInAudioEndMs]: truncated.audio_end_ms,
    });
    expect(Number(events[0]!.attributes![K.bargeInElapsedMs])).toBeGreaterThanOrEqual(140);
    expect(first!.attributes[K.turnStatus]).toBe('interrupted');
    expect(first!.attributes[K.interruptedBy]).toBe('barge_in');
    expect(otel.one('call').attributes[K.callBargeIns]).toBe(1);
  });

  it('speech after the buffer stopped is not a barge-in', async () => {
    const v = await sipCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 60 });
    await until(() => v.has('output_audio_buffer.stopped'), 'playback end');
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 20 });
    await until(() => v.seen.filter((e) => e.type === 'output_audio_buffer.stopped').length === 2);
    await v.hangUp();

    expect(v.seen.map((e) => e.type)).not.toContain('output_audio_buffer.cleared');
    const turns = exchanges(otel.spans(), 'front desk');
    expect(turns).toHaveLength(2);
    for (const turn of turns) expect(bargeIns(turn)).toEqual([]);
    expect(otel.one('call').attributes[K.callBargeIns]).toBe(0);
  });

  it('session.interrupt() during playback is a manual interruption, not a barge-in', async () => {
    const v = await sipCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    const streaming = v.conn.respond({ audioMs: 3000, paceMs: 5 });
    await until(() => v.has('output_audio_buffer.started'), 'playback start');
    await wait(100);
    v.session.interrupt(); // SIP: response.cancel + output_audio_buffer.clear
    await streaming;
    await until(() => v.has('output_audio_buffer.cleared'), 'the clear');
    await v.hangUp();

    const [exchange] = exchanges(otel.spans(), 'front desk');
    expect(bargeIns(exchange!)).toEqual([]);
    expect(exchange!.attributes[K.interruptedBy]).toBe('manual');
    expect(otel.one('call').attributes[K.callBargeIns]).toBe(0);
  });

  it('the phone call ending closes the sideband normally: closed, not an error', async () => {
    const v = await sipCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 40 });
    await until(() => v.has('output_audio_buffer.stopped'), 'playback end');
    await v.hangUp();

    const session = otel.one(K.session);
    expect(session.attributes[K.transport]).toBe('sip');
    expect(session.attributes[K.endReason]).toBe('closed');
    expect(session.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(otel.one('call').attributes[K.callErrors] ?? 0).toBe(0);
  });

  it('a sideband that drops without a close frame is connection_lost', async () => {
    const v = await sipCall();
    v.conn.drop();
    await until(() => otel.byName(K.session).length === 1, 'the session span');
    v.call.end();
    await v.server.close();
    const session = otel.one(K.session);
    expect(session.attributes[K.endReason]).toBe('connection_lost');
    expect(session.status.code).toBe(SpanStatusCode.ERROR);
  });
});
