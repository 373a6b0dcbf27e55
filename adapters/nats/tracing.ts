import { context, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import { safeExtract } from '../../src/propagation/index.js';
import { SCOPE_NAME, VERSION } from '../../src/version.js';
import { safely } from '../../src/safe.js';
import { endSpan, endWhenSettled, processStarter, startSend } from '../messaging-shared/spans.js';
import {
  natsHeadersGetter,
  natsHeadersSetter,
  type JetStreamLike,
  type NatsConnectionLike,
  type NatsHeaders,
  type NatsMsg,
  type NatsPayload,
  type NatsRequestMsg,
  type NatsTracingOptions,
} from './types.js';

const SYSTEM = 'nats';
const startProcess = processStarter(natsHeadersGetter);

/** The sender's context carried by a message's headers, or ROOT_CONTEXT. Never throws. */
export function natsMessageContext(msg: NatsMsg | undefined): Context {
  return safeExtract(
    safely('nats headers', () => msg?.headers),
    natsHeadersGetter,
  ).context;
}

/**
 * Publish, request/reply and processing wrappers that carry the context in NATS headers:
 * PRODUCER `send {subject}` and CONSUMER `process {subject}` spans (`messaging.system=nats`).
 */
export function natsTracing(options: NatsTracingOptions = {}) {
  const makeHeaders = options.headers;
  const replyContext = options.replyContext !== false;
  const trust = options.trustIncoming === 'link' ? 'link' : 'parent';
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    SCOPE_NAME,
    VERSION,
  );

  /** `opts` with the given context injected into its headers (created when a factory is set). */
  function withContext<O extends { headers?: NatsHeaders }>(opts: O | undefined, ctx: Context): O {
    const out = { ...opts } as O;
    try {
      out.headers ??= makeHeaders?.();
      if (out.headers) propagation.inject(ctx, out.headers, natsHeadersSetter);
    } catch {
      // a broken factory or propagator: send without trace headers
    }
    return out;
  }

  function send<T>(subject: string, run: (span: Span, ctx: Context) => T): T {
    const span = startSend(tracer, SYSTEM, subject, context.active());
    return endWhenSettled(span, () => run(span, trace.setSpan(context.active(), span)));
  }

  return {
    /** `nc.publish` inside a `send {subject}` span, its context in the headers. */
    publish(
      nc: NatsConnectionLike,
      subject: string,
      payload?: NatsPayload,
      opts?: { headers?: NatsHeaders },
    ): void {
      send(subject, (_span, ctx) => nc.publish(subject, payload, withContext(opts, ctx)));
    },

    /** `nc.request` inside a `send {subject}` span; the span links to the responder's context. */
    request<M extends NatsMsg>(
      nc: NatsConnectionLike<M>,
      subject: string,
      payload?: NatsPayload,
      opts: { timeout: number; headers?: NatsHeaders } = { timeout: 1000 },
    ): Promise<M> {
      // One async frame, no wrapper promises: this is the hot path of a request/reply tool.
      const span = startSend(tracer, SYSTEM, subject, context.active());
      return (async () => {
        let reply: M;
        try {
          reply = await nc.request(
            subject,
            payload,
            withContext(opts, trace.setSpan(context.active(), span)),
          );
        } catch (error) {
          endSpan(span, error);
          throw error;
        }
        if (replyContext && reply.headers) {
          const remote = trace.getSpanContext(natsMessageContext(reply));
          if (remote) safely('nats reply link', () => span.addLink({ context: remote }));
        }
        endSpan(span);
        return reply;
      })();
    },

    /** `js.publish` (JetStream) inside a `send {subject}` span, its context in the headers. */
    jetstreamPublish<R>(
      js: JetStreamLike<R>,
      subject: string,
      payload?: NatsPayload,
      opts?: { headers?: NatsHeaders },
    ): Promise<R> {
      return send(subject, (_span, ctx) => js.publish(subject, payload, withContext(opts, ctx)));
    },

    /**
     * Runs `handler(msg)` in a `process {subject}` span that continues the sender's trace;
     * returns the handler's result unchanged. Works for core and JetStream messages.
     */
    process<M extends NatsMsg, T>(msg: M, handler: (msg: M) => T): T {
      let started: { span: Span; ctx: Context } | undefined;
      try {
        started = startProcess(tracer, trust, SYSTEM, msg.subject, msg.headers);
      } catch {
        return handler(msg); // a broken tracer: run untraced
      }
      const { span, ctx } = started;
      return context.with(ctx, () => endWhenSettled(span, () => handler(msg)));
    },

    /** `msg.respond` with the current context (the `process` span) in the reply's headers. */
    respond(msg: NatsRequestMsg, payload?: NatsPayload, opts?: { headers?: NatsHeaders }): boolean {
      return msg.respond(payload, replyContext ? withContext(opts, context.active()) : opts);
    },
  };
}

export type NatsTracing = ReturnType<typeof natsTracing>;
