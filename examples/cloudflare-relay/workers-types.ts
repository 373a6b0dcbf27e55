/**
 * The few Workers runtime types this example uses, declared structurally so that the repo's
 * root typecheck (Node + DOM libs) keeps working. In your own Worker project use
 * `@cloudflare/workers-types` (or `wrangler types`) instead.
 */
export interface DurableObjectStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** A server-side WebSocket accepted with the Hibernation API. */
export interface HibernatableWebSocket {
  send(message: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

export interface DurableObjectState {
  readonly storage: DurableObjectStorage;
  acceptWebSocket(ws: HibernatableWebSocket): void;
  getWebSockets(): HibernatableWebSocket[];
  waitUntil(promise: Promise<unknown>): void;
}

export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** workerd's `WebSocketPair` and the `webSocket` of a 101 response, as far as we use them. */
export interface WorkerWebSocket extends HibernatableWebSocket {
  accept(): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  readyState: number;
}

export const WebSocketPair = (globalThis as any).WebSocketPair as new () => {
  0: WorkerWebSocket;
  1: WorkerWebSocket;
};

/** `new Response(null, { status: 101, webSocket })`: the init field DOM typings lack. */
export function upgradeResponse(webSocket: WorkerWebSocket): Response {
  return new Response(null, { status: 101, webSocket } as ResponseInit);
}
