import type { TextMapGetter, TextMapSetter, TracerProvider } from '@opentelemetry/api';
import type { IncomingTrust } from '../../src/propagation/index.js';

/**
 * The part of NATS `MsgHdrs` calltrace uses. Keys are case-sensitive and `get()` returns `''`
 * when a key is missing. Typed structurally so NATS is not a runtime dependency.
 */
export interface NatsHeaders {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

export type NatsPayload = Uint8Array | string;

/** A received core or JetStream message. */
export interface NatsMsg {
  subject: string;
  headers?: NatsHeaders;
}

/** A core message that can be answered (`msg.respond`). */
export interface NatsRequestMsg extends NatsMsg {
  respond(payload?: NatsPayload, opts?: { headers?: NatsHeaders }): boolean;
}

/** `NatsConnection` from @nats-io/transport-node, as far as calltrace calls it. */
export interface NatsConnectionLike<M extends NatsMsg = NatsMsg> {
  publish(subject: string, payload?: NatsPayload, opts?: { headers?: NatsHeaders }): void;
  request(
    subject: string,
    payload?: NatsPayload,
    opts?: { timeout: number; headers?: NatsHeaders },
  ): Promise<M>;
}

/** `JetStreamClient` from @nats-io/jetstream, as far as calltrace calls it. */
export interface JetStreamLike<R = unknown> {
  publish(subject: string, payload?: NatsPayload, opts?: { headers?: NatsHeaders }): Promise<R>;
}

export interface NatsTracingOptions {
  /**
   * The `headers` factory of @nats-io/transport-node (or nats-core), used for messages sent
   * without headers. Default: none — then context is carried only by messages whose options
   * already hold `headers` (calltrace sets `traceparent` on them).
   */
  headers?: () => NatsHeaders;
  /**
   * What an incoming `traceparent` becomes on the receiving side. `'parent'` (default): the
   * `process` span joins the sender's trace. `'link'`: a new trace linked to the sender.
   */
  trustIncoming?: IncomingTrust;
  /**
   * Whether `respond` puts the responder's context in the reply's headers and `request` links
   * its `send` span to it. Default: true. Off saves a header block per reply (measured ~20% of
   * a loopback request/reply's CPU; see bench/nats.bench.ts).
   */
  replyContext?: boolean;
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
}

/** Headers may be missing, or garbage from a foreign publisher: every read is guarded. */
export const natsHeadersGetter: TextMapGetter<NatsHeaders | undefined> = {
  keys: (headers) => (headers ? headers.keys() : []),
  get: (headers, key) => (headers ? headers.get(key) || undefined : undefined),
};

export const natsHeadersSetter: TextMapSetter<NatsHeaders> = {
  set: (headers, key, value) => headers.set(key, value),
};
