import {
  context,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type TracerProvider,
} from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import {
  plainOptions,
  readField,
  reportFault,
  safeExtract,
  safeTracer,
  type IncomingTrust,
} from '../kit.js';
import { nodeHeadersGetter } from '../http-shared/getters.js';
import { endWhenSettled, startProcessIn } from '../messaging-shared/spans.js';
import { takeTrace } from './envelope.js';

const SYSTEM = 'websocket';

export interface WsTracingOptions {
  /** The upgrade request: its `traceparent` is the context of messages without an envelope. */
  request?: IncomingMessage;
  /** `messaging.destination.name` and span name suffix (`process {destination}`). Default: `'ws'`. */
  destination?: string;
  /**
   * What the sender's context becomes. `'parent'` (default): the handler's span joins the
   * sender's trace. `'link'`: a new trace linked to the sender — for sockets open to the internet.
   */
  trustIncoming?: IncomingTrust;
  /** Text messages longer than this are not parsed for an envelope. Default: 1 MiB. */
  maxParseBytes?: number;
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
}

export interface TracedMessage {
  data: RawData;
  isBinary: boolean;
  /** The parsed JSON object without its `_trace` field; undefined for binary or non-object text. */
  payload: Record<string, unknown> | undefined;
}

/**
 * Listens for `socket`'s messages and runs `handler` for each in a CONSUMER `process {destination}`
 * span whose parent is the sender's context: the message's `_trace` envelope, else the upgrade
 * request's `traceparent`, else a new trace. Bad envelopes are ignored; a broken tracer or span
 * processor costs the span, never the message: the handler runs and its own errors reach the
 * socket as they would without calltrace. Returns `off()`.
 */
export function onTracedMessage(
  socket: WebSocket,
  handler: (message: TracedMessage) => unknown,
  options: WsTracingOptions = {},
): () => void {
  if (typeof readField(socket, 'on') !== 'function')
    throw new TypeError('onTracedMessage: pass a ws WebSocket');
  const o = plainOptions<WsTracingOptions>(options);
  const destination = typeof o.destination === 'string' ? o.destination : 'ws';
  const link = o.trustIncoming === 'link';
  const maxParseBytes = typeof o.maxParseBytes === 'number' ? o.maxParseBytes : 1024 * 1024;
  const tracer = safeTracer(o.tracerProvider);
  const upgrade: Context = o.request?.headers
    ? safeExtract(o.request.headers as Record<string, unknown>, nodeHeadersGetter).context
    : ROOT_CONTEXT;

  const listener = (data: RawData, isBinary: boolean) => {
    const payload = isBinary ? undefined : parseObject(data, maxParseBytes);
    const message = { data, isBinary, payload };
    let parent = upgrade;
    let links: Link[] | undefined;
    try {
      if (payload) parent = takeTrace(payload, upgrade);
      const remote = link && parent !== ROOT_CONTEXT ? trace.getSpanContext(parent) : undefined;
      if (remote) [links, parent] = [[{ context: remote }], ROOT_CONTEXT];
    } catch (error) {
      reportFault('ws extract', error);
    }
    const span = startProcessIn(tracer, SYSTEM, destination, parent, links);
    context.with(trace.setSpan(parent, span), endWhenSettled, undefined, span, handler, message);
  };
  socket.on('message', listener);
  return () => void socket.off('message', listener);
}

function parseObject(data: RawData, max: number): Record<string, unknown> | undefined {
  try {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (size > max) return undefined;
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString()
      : Buffer.isBuffer(data)
        ? data.toString()
        : Buffer.from(data).toString();
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
