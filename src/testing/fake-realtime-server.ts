import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { FakeRealtimeConnection } from './fake-realtime-connection.js';
import type { FakeTransportMode } from './fake-realtime-types.js';

export interface FakeRealtimeServerOptions {
  /** Port on 127.0.0.1. Default: 0 (a free port). */
  port?: number;
  /** Model reported in `session.created`. Default: `'gpt-realtime'`. */
  model?: string;
  /**
   * Mode of connections whose URL does not say (`?call_id=` is SIP, `?transport=webrtc` is a
   * relayed WebRTC data channel). Default: `'websocket'`.
   */
  mode?: FakeTransportMode;
}

/** The mode a connection's URL asks for: `call_id` is how `OpenAIRealtimeSIP` connects. */
function modeOf(request: IncomingMessage, fallback: FakeTransportMode): FakeTransportMode {
  const query = new URL(request.url ?? '/', 'http://fake').searchParams;
  if (query.get('transport') === 'webrtc') return 'webrtc';
  // openaiRealtimeWebsocket.mjs connect(): `wss://api.openai.com/v1/realtime?call_id=${callId}`.
  if (query.has('call_id')) return 'sip';
  return fallback;
}

/**
 * A local stand-in for the OpenAI Realtime API, speaking enough of its GA protocol for the real
 * `RealtimeSession` and its transports to run offline:
 * - WebSocket: `session.connect({ apiKey: 'test', url: server.url })`;
 * - SIP sideband: `session.connect({ apiKey: 'test', callId, url: server.sipUrl(callId) })`;
 * - WebRTC: relay the `oai-events` data channel to `server.webrtcUrl` (one WebSocket message
 *   per data-channel message).
 * Script each connection with the object `nextConnection()` resolves to.
 */
export class FakeRealtimeServer {
  readonly connections: FakeRealtimeConnection[] = [];
  /** Upgrade request headers of each connection, in order (e.g. to check `traceparent`). */
  readonly upgradeHeaders: IncomingHttpHeaders[] = [];
  #wss: WebSocketServer;
  #pending: Array<(c: FakeRealtimeConnection) => void> = [];

  private constructor(wss: WebSocketServer, model: string, mode: FakeTransportMode) {
    this.#wss = wss;
    wss.on('connection', (socket, request) => {
      this.upgradeHeaders.push(request.headers);
      const conn = new FakeRealtimeConnection(
        socket,
        model,
        this.connections.length + 1,
        modeOf(request, mode),
      );
      this.connections.push(conn);
      this.#pending.shift()?.(conn);
    });
  }

  static async start(options: FakeRealtimeServerOptions = {}): Promise<FakeRealtimeServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new FakeRealtimeServer(
      wss,
      options.model ?? 'gpt-realtime',
      options.mode ?? 'websocket',
    );
  }

  get port(): number {
    return (this.#wss.address() as AddressInfo).port;
  }

  /** The WebSocket URL to give the SDK. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/v1/realtime?model=gpt-realtime`;
  }

  /** The SIP sideband URL for `callId` (what `OpenAIRealtimeSIP` builds from `callId`). */
  sipUrl(callId: string): string {
    return `ws://127.0.0.1:${this.port}/v1/realtime?call_id=${encodeURIComponent(callId)}`;
  }

  /** Where a relay forwards a WebRTC `oai-events` data channel. */
  get webrtcUrl(): string {
    return `ws://127.0.0.1:${this.port}/v1/realtime?transport=webrtc`;
  }

  /** Resolves with the next connection (or the latest one not yet handed out). */
  nextConnection(): Promise<FakeRealtimeConnection> {
    return new Promise((resolve) => this.#pending.push(resolve));
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
