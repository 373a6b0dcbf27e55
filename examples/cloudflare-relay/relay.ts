/**
 * The Durable Object that holds one call: it accepts the caller's WebSocket with the
 * Hibernation API, relays audio to and from a Realtime session, and keeps the call's trace
 * in a snapshot (in the socket's attachment and in storage) so that after hibernation or a
 * restart its spans still belong to the call.
 */
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { callTracing, incomingContext, markAudioSentToCaller, recordGetter } from 'calltrace';
import { openEdgeCall, resumeCall, type EdgeCall } from 'calltrace/edge';
import { realtimeTransport } from './realtime-socket.js';
import { telemetry } from './telemetry.js';
import {
  WebSocketPair,
  upgradeResponse,
  type DurableObjectState,
  type HibernatableWebSocket,
} from './workers-types.js';

export interface RelayEnv {
  OPENAI_API_KEY?: string;
  /** Realtime endpoint. Default: OpenAI's. */
  REALTIME_URL?: string;
  OTLP_URL?: string;
  OTLP_HEADERS?: string;
}

const SNAPSHOT_KEY = 'call';
/** Set while a Realtime leg is open: found on resume, it means that leg's spans were lost. */
const LEG_OPEN_KEY = 'realtime-leg-open';
const agent = new RealtimeAgent({ name: 'Front desk', instructions: 'Help the caller.' });
const tracing = callTracing();

export class CallRelay {
  #call: EdgeCall | undefined;
  #session: RealtimeSession | undefined;

  constructor(
    private readonly state: DurableObjectState,
    private readonly env: RelayEnv,
  ) {
    telemetry(env);
  }

  /** The caller's WebSocket, forwarded by the Worker. A reconnect continues the same call. */
  async fetch(request: Request): Promise<Response> {
    const callId = new URL(request.url).pathname.split('/').pop() || 'unknown';
    const call =
      this.#call ?? (await this.#resumeFromStorage()) ?? (await this.#open(request, callId));
    const { 0: client, 1: server } = new WebSocketPair();
    this.state.acceptWebSocket(server);
    server.serializeAttachment(call.snapshot); // survives hibernation with the socket
    await this.#connectRealtime(call);
    return upgradeResponse(client);
  }

  async webSocketMessage(ws: HibernatableWebSocket, message: string | ArrayBuffer): Promise<void> {
    const call = this.#call ?? this.#resumeFromAttachment(ws);
    if (!call) return ws.close(1011, 'no call');
    const msg = typeof message === 'string' ? safeJson(message) : undefined;
    if (msg?.type === 'audio' && typeof msg.audio === 'string') {
      const session = await this.#connectRealtime(call);
      session.sendAudio(base64ToBuffer(msg.audio));
    } else if (msg?.type === 'hold') {
      this.#closeRealtime(); // nothing outbound left: the object may hibernate now
      ws.send(JSON.stringify({ type: 'held' }));
    } else if (msg?.type === 'hangup') {
      await this.#endCall(call, 'caller_hangup');
      ws.close(1000, 'bye');
    }
  }

  async webSocketClose(): Promise<void> {
    // The caller went away without a hangup: keep the call; a reconnect resumes it.
    this.#closeRealtime();
  }

  async #open(request: Request, callId: string): Promise<EdgeCall> {
    // The call is a root of its own, linked to the Worker's request span that forwarded it.
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const { links } = incomingContext(headers, recordGetter, 'link');
    const call = openEdgeCall({ callId, provider: 'websocket', links });
    await this.state.storage.put(SNAPSHOT_KEY, call.snapshot);
    return (this.#call = call);
  }

  async #resumeFromStorage(): Promise<EdgeCall | undefined> {
    const [snapshot, legOpen] = await Promise.all([
      this.state.storage.get(SNAPSHOT_KEY),
      this.state.storage.get(LEG_OPEN_KEY),
    ]);
    // `recovered`: the last activation died with its Realtime leg open (a crash, a deploy),
    // so that leg's open spans never left memory. The marker makes the gap findable.
    const call = resumeCall(snapshot, { reason: legOpen ? 'recovered' : 'reconnect' });
    return (this.#call = call);
  }

  #resumeFromAttachment(ws: HibernatableWebSocket): EdgeCall | undefined {
    return (this.#call = resumeCall(ws.deserializeAttachment(), { reason: 'wake' }));
  }

  async #connectRealtime(call: EdgeCall): Promise<RealtimeSession> {
    if (this.#session) return this.#session;
    const url = this.env.REALTIME_URL ?? 'wss://api.openai.com/v1/realtime?model=gpt-realtime';
    const session = new RealtimeSession(agent, {
      transport: realtimeTransport(call, url),
      model: 'gpt-realtime',
      workflowName: call.openai.workflowName,
      groupId: call.openai.groupId,
      traceMetadata: { ...call.openai.traceMetadata },
    });
    this.#session = session;
    await this.state.storage.put(LEG_OPEN_KEY, true);
    call.run(() => tracing.attach(session)); // session spans: children of the call's root
    session.on('error', () => {}); // recorded on the session span by calltrace
    session.on('audio', (event) => {
      for (const ws of this.state.getWebSockets()) {
        ws.send(JSON.stringify({ type: 'audio', audio: bufferToBase64(event.data) }));
      }
      markAudioSentToCaller(session);
    });
    try {
      await session.connect({ apiKey: this.env.OPENAI_API_KEY ?? 'unset', url });
    } catch (error) {
      this.#closeRealtime(); // the next message tries again
      throw error;
    }
    return session;
  }

  #closeRealtime(): void {
    if (!this.#session) return;
    this.#session.close();
    this.#session = undefined;
    this.state.waitUntil(this.state.storage.delete(LEG_OPEN_KEY));
  }

  async #endCall(call: EdgeCall, reason: string): Promise<void> {
    this.#closeRealtime();
    call.end({ reason });
    this.#call = undefined;
    await this.state.storage.delete(SNAPSHOT_KEY);
    this.state.waitUntil(telemetry(this.env).forceFlush());
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function base64ToBuffer(b64: string): ArrayBuffer {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return bytes.buffer;
}

function bufferToBase64(buf: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s);
}
