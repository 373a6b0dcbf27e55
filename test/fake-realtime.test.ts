/**
 * calltrace/testing's fake Realtime server behaves like the real one, as the SDK's real
 * transports see it. These tests check the protocol itself (the events the SDK receives and
 * sends); the spans built from it are tested in realtime-*.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeSIP, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { WebSocket } from 'ws';
import { FakeRealtimeServer, type FakeRealtimeConnection } from '../src/testing/index.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Json = Record<string, any>;

let server: FakeRealtimeServer | undefined;
let session: RealtimeSession | undefined;
afterEach(async () => {
  session?.close();
  await server?.close();
  session = server = undefined;
});

/** A real RealtimeSession on the fake; `seen` collects every server event the SDK received. */
async function connect(config: Json = {}, transport: 'websocket' | 'sip' = 'websocket') {
  server = await FakeRealtimeServer.start();
  const agent = new RealtimeAgent({ name: 'front desk' });
  session = new RealtimeSession(agent, {
    transport: transport === 'sip' ? new OpenAIRealtimeSIP() : 'websocket',
    model: 'gpt-realtime',
    config,
  });
  const seen: Json[] = [];
  session.on('transport_event', (e) => seen.push(e as Json));
  session.on('error', () => {});
  const next = server.nextConnection();
  await session.connect(
    transport === 'sip'
      ? { apiKey: 'test', callId: 'rtc_sip_1', url: server.sipUrl('rtc_sip_1') }
      : { apiKey: 'test', url: server.url },
  );
  const conn = await next;
  await conn.nextClientEvent('session.update', 0);
  await wait(20);
  return { conn, seen, types: () => seen.map((e) => e.type as string) };
}

/** Polls until `ready()` (no fixed sleeps for the SDK's side to catch up). */
async function until(ready: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the SDK');
    await wait(10);
  }
}

const responseDone = (seen: Json[]) => seen.filter((e) => e.type === 'response.done');
const clientTypes = (conn: FakeRealtimeConnection) => conn.clientEvents.map((e) => e.type);

describe('fake Realtime server: defaults of the real server', () => {
  it('echoes turn_detection with the server defaults: interrupt_response and create_response on', async () => {
    const { seen } = await connect();
    const updated = seen.filter((e) => e.type === 'session.updated').at(-1)!;
    expect(updated.session.audio.input.turn_detection).toEqual({
      type: 'semantic_vad', // the SDK 0.20 default
      eagerness: 'auto',
      create_response: true,
      interrupt_response: true,
    });
  });

  it('cancels the response itself when the caller talks over it (turn_detected); the SDK sends no response.cancel', async () => {
    const { conn, seen } = await connect();
    await conn.callerSpeech();
    const streaming = conn.respond({ audioMs: 3000, paceMs: 10 });
    await wait(100);
    conn.callerStartsSpeaking();
    const result = await streaming;
    await until(() => responseDone(seen).length > 0);
    await until(() => clientTypes(conn).includes('conversation.item.truncate'));
    expect(result).toMatchObject({ status: 'cancelled', reason: 'turn_detected' });
    expect(responseDone(seen).at(-1)!.response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
    });
    expect(clientTypes(conn)).not.toContain('response.cancel');
    // The client plays WebSocket audio, so IT reports what was heard.
    expect(clientTypes(conn)).toContain('conversation.item.truncate');
  });

  it('with interrupt_response false the SDK cancels: client_cancelled', async () => {
    const { conn, seen } = await connect({
      audio: { input: { turnDetection: { type: 'server_vad', interruptResponse: false } } },
    });
    await conn.callerSpeech();
    const streaming = conn.respond({ audioMs: 3000, paceMs: 10 });
    await wait(100);
    conn.callerStartsSpeaking();
    expect(await streaming).toMatchObject({ status: 'cancelled', reason: 'client_cancelled' });
    await until(
      () => responseDone(seen).length > 0 && clientTypes(conn).includes('response.cancel'),
    );
    expect(clientTypes(conn)).toContain('response.cancel');
    expect(responseDone(seen).at(-1)!.response.status_details.reason).toBe('client_cancelled');
  });

  it('creates the next response itself after the caller’s turn (create_response), not before', async () => {
    const { conn, types } = await connect();
    conn.queueResponses({ audioMs: 40 });
    expect(types()).not.toContain('response.created');
    await conn.callerSpeech({ speechMs: 20 });
    await until(() => types().includes('response.created'));
    const t = types();
    expect(t.indexOf('input_audio_buffer.committed')).toBeLessThan(t.indexOf('response.created'));
    expect(clientTypes(conn)).not.toContain('response.create');
  });

  it('with create_response false waits for the client’s response.create', async () => {
    const { conn, types } = await connect({
      audio: { input: { turnDetection: { type: 'server_vad', createResponse: false } } },
    });
    conn.queueResponses({ audioMs: 40 });
    await conn.callerSpeech();
    await wait(40);
    expect(types()).not.toContain('response.created');
    session!.transport.sendEvent({ type: 'response.create' });
    await until(() => types().includes('response.created'));
    expect(types()).toContain('response.created');
  });

  it('push-to-talk (turn_detection null): no speech events; the client’s commit is committed', async () => {
    const { conn, types, seen } = await connect({ audio: { input: { turnDetection: null } } });
    expect(conn.turnDetection).toBeNull();
    expect(() => conn.callerStartsSpeaking()).toThrow(/push-to-talk/);
    session!.transport.sendEvent({ type: 'input_audio_buffer.commit' }); // nothing appended yet
    session!.sendAudio(new ArrayBuffer(4800), { commit: true });
    await until(
      () => types().includes('input_audio_buffer.committed') && types().includes('error'),
    );
    expect(seen.find((e) => e.type === 'error')?.error.code).toBe(
      'input_audio_buffer_commit_empty',
    );
    expect(types()).toContain('input_audio_buffer.committed');
    expect(types().filter((t) => t.startsWith('input_audio_buffer.speech'))).toEqual([]);
    expect(types()).not.toContain('response.created'); // a commit never creates a response
  });

  it('closes normally with code 1000, and the SDK sees a disconnect', async () => {
    const { conn } = await connect();
    const disconnected = new Promise((r) => session!.transport.on('connection_change', r));
    const code = new Promise<number>((r) => conn.socket.once('close', (c: number) => r(c)));
    conn.close();
    expect(await code).toBe(1000);
    expect(await disconnected).toBe('disconnected');
  });
});

describe('fake Realtime server: the GA event sequence', () => {
  it('a spoken answer with a tool call, in the order of the API reference', async () => {
    const { conn, types } = await connect();
    await conn.callerSpeech({ speechMs: 10, transcript: 'where is my order' });
    await conn.respond({
      audioMs: 60,
      transcript: 'Let me check.',
      toolCalls: [{ name: 'lookup', arguments: { id: 1 }, callId: 'call_1' }],
    });
    await until(() => types().includes('response.done'));
    const t = types().filter((x) => x !== 'conversation.item.retrieved');
    const from = t.indexOf('input_audio_buffer.speech_started');
    expect(t.slice(from, from + 6)).toEqual([
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
      'conversation.item.input_audio_transcription.completed',
    ]);
    const r = t.indexOf('response.created');
    const unique = t.slice(r, t.indexOf('response.done') + 1).filter((x, i, a) => a[i - 1] !== x); // collapse delta runs
    expect(unique).toEqual([
      'response.created',
      'rate_limits.updated',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_audio_transcript.delta',
      'response.output_audio.delta',
      'response.output_audio_transcript.delta',
      'response.output_audio.delta',
      'response.output_audio_transcript.delta',
      'response.output_audio.delta',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.output_item.added',
      'conversation.item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
  });

  it('usage carries cached and audio token details', async () => {
    const { conn, seen } = await connect();
    await conn.callerSpeech();
    await conn.respond({
      audioMs: 20,
      usage: {
        input_tokens: 100,
        output_tokens: 20,
        input_audio_tokens: 60,
        output_audio_tokens: 15,
        cached_tokens: 40,
        cached_audio_tokens: 30,
      },
    });
    await until(() => responseDone(seen).length > 0);
    expect(responseDone(seen).at(-1)!.response.usage).toEqual({
      total_tokens: 120,
      input_tokens: 100,
      output_tokens: 20,
      input_token_details: {
        cached_tokens: 40,
        audio_tokens: 60,
        text_tokens: 40,
        image_tokens: 0,
        cached_tokens_details: { audio_tokens: 30, text_tokens: 10, image_tokens: 0 },
      },
      output_token_details: { audio_tokens: 15, text_tokens: 5 },
    });
  });
});

describe('fake Realtime server: SIP sideband and WebRTC data channel', () => {
  it('SIP (OpenAIRealtimeSIP with call_id): no audio deltas; output_audio_buffer.started → stopped', async () => {
    const { conn, types } = await connect({}, 'sip');
    expect(conn.mode).toBe('sip');
    await conn.callerSpeech({ speechMs: 20 });
    await conn.respond({ audioMs: 60 });
    await until(() => types().includes('output_audio_buffer.stopped')); // 60 ms plays out in real time
    const t = types();
    expect(t).not.toContain('response.output_audio.delta');
    expect(t.indexOf('response.content_part.added')).toBeLessThan(
      t.indexOf('output_audio_buffer.started'),
    );
    expect(t.indexOf('response.done')).toBeLessThan(t.indexOf('output_audio_buffer.stopped'));
  });

  it('SIP barge-in: the server cancels, clears the buffer and truncates the item at what played', async () => {
    const { conn, seen, types } = await connect({}, 'sip');
    await conn.callerSpeech({ speechMs: 20 });
    const streaming = conn.respond({ audioMs: 3000, paceMs: 10 });
    await wait(150);
    conn.callerStartsSpeaking();
    expect(await streaming).toMatchObject({ status: 'cancelled', reason: 'turn_detected' });
    await until(
      () => types().includes('conversation.item.truncated') && responseDone(seen).length > 0,
    );
    expect(types()).toContain('output_audio_buffer.cleared');
    expect(types()).not.toContain('output_audio_buffer.stopped');
    const truncated = seen.find((e) => e.type === 'conversation.item.truncated')!;
    expect(truncated.audio_end_ms).toBeGreaterThan(0);
    expect(truncated.audio_end_ms).toBeLessThan(3000);
    // OpenAIRealtimeSIP.interrupt() asks for the clear too; the truncation is the server's.
    expect(clientTypes(conn)).toContain('output_audio_buffer.clear');
    expect(clientTypes(conn)).not.toContain('conversation.item.truncate');
  });

  it('SIP: the phone call ends → the sideband closes with 1000', async () => {
    const { conn } = await connect({}, 'sip');
    const code = new Promise<number>((r) => conn.socket.once('close', (c: number) => r(c)));
    conn.hangUp();
    expect(await code).toBe(1000);
  });

  it('WebRTC data channel (relayed): output_audio_buffer.* instead of audio deltas', async () => {
    server = await FakeRealtimeServer.start();
    const next = server.nextConnection();
    const channel = new WebSocket(server.webrtcUrl);
    const received: Json[] = [];
    channel.on('message', (m) => received.push(JSON.parse(m.toString())));
    const conn = await next;
    expect(conn.mode).toBe('webrtc');
    await conn.callerSpeech();
    await conn.respond({ audioMs: 40 });
    await until(() => received.some((e) => e.type === 'output_audio_buffer.stopped'));
    channel.send(JSON.stringify({ type: 'output_audio_buffer.clear' })); // nothing playing now
    await wait(20);
    channel.close();
    const t = received.map((e) => e.type);
    expect(t).not.toContain('response.output_audio.delta');
    expect(t).toContain('output_audio_buffer.started');
    expect(t).toContain('output_audio_buffer.stopped');
    expect(t).not.toContain('output_audio_buffer.cleared');
  });
});
