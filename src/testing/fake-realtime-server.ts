import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { FakeRealtimeConnection } from './fake-realtime-connection.js';

export interface FakeRealtimeServerOptions {
  /** Port on 127.0.0.1. Default: 0 (a free port). */
  port?: number;
  /** Model reported in `session.created`. Default: `'gpt-realtime'`. */
  model?: string;
}

/**
 * A local stand-in for the OpenAI Realtime API (WebSocket), speaking enough of its protocol for
 * the real `RealtimeSession` / `OpenAIRealtimeWebSocket` to run offline: point the SDK at
 * `server.url` (`session.connect({ apiKey: 'test', url: server.url })`), then script each
 * connection with the object `nextConnection()` resolves to.
 */
export class FakeRealtimeServer {
  readonly connections: FakeRealtimeConnection[] = [];
  /** Upgrade request headers of each connection, in order (e.g. to check `traceparent`). */
  readonly upgradeHeaders: IncomingHttpHeaders[] = [];
  #wss: WebSocketServer;
  #pending: Array<(c: FakeRealtimeConnection) => void> = [];

  private constructor(wss: WebSocketServer, model: string) {
    this.#wss = wss;
    wss.on('connection', (socket, request) => {
      this.upgradeHeaders.push(request.headers);
      const conn = new FakeRealtimeConnection(socket, model, this.connections.length + 1);
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
    return new FakeRealtimeServer(wss, options.model ?? 'gpt-realtime');
  }

  get port(): number {
    return (this.#wss.address() as AddressInfo).port;
  }

  /** The WebSocket URL to give the SDK. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/v1/realtime?model=gpt-realtime`;
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
