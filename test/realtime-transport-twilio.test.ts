/**
 * Twilio: the real `TwilioRealtimeTransportLayer` from @openai/agents-extensions 0.18 (the
 * registry's newest; it pins @openai/agents-core 0.18.0, installed nested, and extends the
 * OpenAIRealtimeWebSocket of our @openai/agents-realtime 0.20 through `@openai/agents/realtime`)
 * between a simulated Twilio Media Stream and the fake server (WebSocket mode, G.711). Twilio
 * echoes each `mark` once the audio before it has played, so the transport knows what the caller
 * actually heard: a barge-in is decided by the marks, not by when the model's audio arrived.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeWebSocket, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { TwilioRealtimeTransportLayer } from '@openai/agents-extensions';
import { SpanStatusCode } from '@opentelemetry/api';
import { callTracing, startCall } from '../src/index.js';
import { FakeRealtimeServer, type FakeRealtimeConnection } from '../src/testing/index.js';
import { setupOtel } from './helpers/otel.js';
import { bargeIns, exchanges, K, until, wait } from './helpers/realtime-transports.js';
import { TwilioMediaStream, type TwilioStreamOptions } from './helpers/twilio-media-stream.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type Json = Record<string, any>;

/**
 * G.711 mu-law both ways, as Twilio needs. Set explicitly: RealtimeSession 0.20 sends its own
 * default formats (PCM 24 kHz), which the 0.18 transport's defaulting keeps (see the first test).
 */
const TWILIO_AUDIO = {
  audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' } } },
} as const;

/** A Twilio call: the media stream, the transport on it, the session traced, the fake model. */
async function twilioCall(stream: TwilioStreamOptions = {}, config: Json = TWILIO_AUDIO) {
  const server = await FakeRealtimeServer.start();
  const twilio = await TwilioMediaStream.open(stream);
  const call = startCall({ callId: 'twilio-1', provider: 'twilio' });
  const transport = new TwilioRealtimeTransportLayer({ twilioWebSocket: twilio.app });
  const session = new RealtimeSession(new RealtimeAgent({ name: 'front desk' }), {
    transport,
    model: 'gpt-realtime',
    config,
  });
  session.on('error', () => {});
  const seen: Json[] = [];
  session.on('transport_event', (e) => seen.push(e as Json));
  const plugin = callTracing();
  const detach = call.run(() => plugin.attach(session));
  twilio.start();
  const next = server.nextConnection();
  await session.connect({ apiKey: 'test', url: server.url });
  const conn: FakeRealtimeConnection = await next;
  await conn.nextClientEvent('session.update', 0);
  twilio.callerMedia(0);
  cleanups.push(async () => {
    session.close();
    detach();
    call.end();
    await server.close();
  });
  const has = (type: string) => seen.some((e) => e.type === type);
  /** The transport has handled Twilio's echo of the last `done:` mark: all audio played. */
  const allPlayed = () =>
    seen.some((e) => e.type === 'twilio_message' && /^done:/.test(e.message?.mark?.name ?? ''));
  return { server, twilio, transport, session, conn, seen, has, allPlayed, call };
}

/** The caller hangs up: Twilio stops the stream; the transport closes the Realtime socket. */
async function hangUp(v: Awaited<ReturnType<typeof twilioCall>>) {
  v.twilio.stop();
  await until(() => otel.byName(K.session).length === 1, 'the session span');
  v.call.end();
}

describe('Twilio (TwilioRealtimeTransportLayer from @openai/agents-extensions 0.18)', () => {
  it('version skew: without explicit formats the 0.18 transport leaves a 0.20 session on PCM 24 kHz', async () => {
    const v = await twilioCall({}, {});
    // TwilioRealtimeTransport.mjs only fills in g711_ulaw where no format is set, and
    // RealtimeSession 0.20 always sets one (cloneDefaultSessionConfig): Twilio would get PCM.
    expect(v.conn.session.audio.output.format).toEqual({ type: 'audio/pcm', rate: 24000 });
  });

  it('runs on agents-realtime 0.20: it is our OpenAIRealtimeWebSocket, speaking G.711 to the model', async () => {
    const v = await twilioCall();
    expect(v.transport).toBeInstanceOf(OpenAIRealtimeWebSocket);
    expect(v.conn.session.audio.output.format).toMatchObject({ type: 'audio/pcmu' });
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 100 });
    await until(() => v.twilio.echoed.length > 0, 'a played mark');
    // 100 ms of mu-law reached Twilio as media, each chunk followed by a mark.
    const media = v.twilio.received.filter((m) => m.event === 'media');
    const bytes = media.reduce((n, m) => n + Buffer.from(m.media.payload, 'base64').length, 0);
    expect(bytes).toBe(800);
    expect(v.twilio.received.filter((m) => m.event === 'mark').length).toBeGreaterThan(
      media.length - 1,
    );
  });

  it('first audio is the model’s audio received (relayed to Twilio), and the span says so', async () => {
    const v = await twilioCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ delayMs: 60, audioMs: 100 });
    await until(v.allPlayed, 'all played');
    await hangUp(v);
    const [exchange] = exchanges(otel.spans(), 'front desk');
    expect(exchange!.attributes[K.firstAudioSource]).toBe('model_audio_received');
    expect(Number(exchange!.attributes[K.firstAudioMs])).toBeGreaterThanOrEqual(55);
    expect(exchange!.attributes[K.turnStatus]).toBe('answered');
  });

  it('speech while Twilio is still playing (by its marks) is a barge-in, though the model’s audio had long arrived', async () => {
    // A 300 ms jitter buffer: the 200 ms answer arrives at once but plays 300..500 ms later.
    const v = await twilioCall({ playoutDelayMs: 300 });
    await v.conn.callerSpeech({ speechMs: 20 });
    const answered = await v.conn.respond({ audioMs: 200 });
    await wait(380); // by arrival time the audio "ended" 180 ms ago; Twilio is mid-playback
    expect(v.twilio.playing).toBe(true);
    v.conn.callerStartsSpeaking();
    const truncate = await v.conn.nextClientEvent('conversation.item.truncate', 0);
    await until(() => v.has('conversation.item.truncated'), 'server truncation');
    await hangUp(v);

    expect(v.twilio.received.map((m) => m.event)).toContain('clear');
    expect(truncate.audio_end_ms).toBeLessThan(200); // what the marks said was heard
    const [exchange] = exchanges(otel.spans(), 'front desk');
    const events = bargeIns(exchange!);
    expect(events).toHaveLength(1);
    expect(events[0]!.attributes).toMatchObject({
      [K.responseId]: answered.responseId,
      [K.bargeInAudioEndMs]: truncate.audio_end_ms,
    });
    expect(otel.one('call').attributes[K.callBargeIns]).toBe(1);
  });

  it('speech after Twilio echoed every mark (all played) is not a barge-in', async () => {
    const v = await twilioCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 100 });
    await until(v.allPlayed, 'all played');
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 20 });
    await wait(50);
    await hangUp(v);

    expect(v.twilio.received.map((m) => m.event)).not.toContain('clear');
    for (const turn of exchanges(otel.spans(), 'front desk')) expect(bargeIns(turn)).toEqual([]);
    expect(otel.one('call').attributes[K.callBargeIns]).toBe(0);
  });

  // The Twilio transport closes the Realtime socket itself when Twilio's socket closes
  // (contract-11 "Requests from transports" #1): a close, not a loss.
  it('the caller hanging up (Twilio stop) ends the session as closed, not as an error', async () => {
    const v = await twilioCall();
    await v.conn.callerSpeech({ speechMs: 20 });
    await v.conn.respond({ audioMs: 40 });
    await wait(60);
    await hangUp(v);
    const session = otel.one(K.session);
    expect(session.attributes[K.transport]).toBe('twilio');
    expect(session.attributes[K.endReason]).toBe('closed');
    expect(session.status.code).not.toBe(SpanStatusCode.ERROR);
  });
});
