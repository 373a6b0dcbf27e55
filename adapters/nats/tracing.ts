import { context, INVALID_SPAN_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import { safeExtract, safeInject } from '../../src/propagation/index.js';
import { plainOptions, readField, reportFault, resolveTracer } from '../kit.js';
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
type WithHeaders = { headers?: NatsHeaders };

/** The sender's context carried by a message's headers, or ROOT_CONTEXT. Never throws. */
export function natsMessageContext(msg: NatsMsg | undefined): Context {
  return safeExtract(readField(msg, 'headers') as NatsHeaders, natsHeadersGetter).context;
}

/**
 * Publish, request/reply and processing wrappers that carry the context in NATS headers:
 * PRODUCER `send {subject}` and CONSUMER `process {subject}` spans (`messaging.system=nats`).
 * Defaults are resolved here, once.
 */
export function natsTracing(raw: NatsTracingOptions = {}) {
  const options = plainOptions<NatsTracingOptions>(raw);
  const makeHeaders = options.headers;
  const replyContext = options.replyContext !== false;
  const trust = options.trustIncoming === 'link' ? 'link' : 'parent';
  const tracer = resolveTracer(options.tracerProvider);

  /**
   * `opts` with `ctx` injected into its headers. Headers the caller passed get the context
   * in place (as a hand-written inject would); without any, a copy of `opts` gets fresh ones
   * from the factory — the caller's object is never changed.
   */
  function withContext<O extends WithHeaders>(opts: O | undefined, ctx: Context): O | undefined {
    let out = opts;
    try {
      let headers = opts?.headers;
      if (!headers && makeHeaders) {
        headers = makeHeaders();
        out = (opts ? { ...opts, headers } : { headers }) as O;
      }
      if (headers) safeInject(headers, natsHeadersSetter, ctx);
    } catch {
      // a broken factory or propagator: send without trace headers
    }
    return out;
  }

  /** Ends the `send` span when `sent` settles (linking the reply's context); passes it on. */
  async function sendAwaiting<R>(span: Span, sent: Promise<R>, linkReply: boolean) {
    let reply: R;
    try {
      reply = await sent;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (linkReply) {
      const remote = safeExtract((reply as NatsMsg | undefined)?.headers, natsHeadersGetter).remote;
      try {
        if (remote) span.addLink({ context: remote });
      } catch {
        // a span that refuses links: the reply still reaches the caller
      }
    }
    endSpan(span);
    return reply;
  }

  /** `nc.request`'s promise; a synchronous throw becomes a rejection, as before. */
  function requestWith<M extends NatsMsg>(
    nc: NatsConnectionLike<M>,
    subject: string,
    payload: NatsPayload | undefined,
    opts: { timeout: number; headers?: NatsHeaders },
  ): Promise<M> {
    try {
      return nc.request(subject, payload, opts);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const sendSpan = (subject: string) => {
    const active = context.active();
    try {
      const span = startSend(tracer, SYSTEM, subject, active);
      return { span, ctx: trace.setSpan(active, span) };
    } catch (error) {
      reportFault('nats send span', error); // send untraced rather than throw into the caller
      return { span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), ctx: active };
    }
  };

  return {
    /** `nc.publish` inside a `send {subject}` span, its context in the headers. */
    publish(nc: NatsConnectionLike, subject: string, payload?: NatsPayload, opts?: WithHeaders) {
      const { span, ctx } = sendSpan(subject);
      try {
        nc.publish(subject, payload, withContext(opts, ctx));
      } catch (error) {
        endSpan(span, error);
        throw error;
      }
      endSpan(span);
    },

    /** `nc.request` inside a `send {subject}` span; the span links to the responder's context. */
    request<M extends NatsMsg>(
      nc: NatsConnectionLike<M>,
      subject: string,
      payload?: NatsPayload,
      opts: { timeout: number; headers?: NatsHeaders } = { timeout: 1000 },
    ): Promise<M> {
      const { span, ctx } = sendSpan(subject);
      return sendAwaiting(
        span,
        requestWith(nc, subject, payload, withContext(opts, ctx)!),
        replyContext,
      );
    },

    /** `js.publish` (JetStream) inside a `send {subject}` span, its context in the headers. */
    jetstreamPublish<R>(
      js: JetStreamLike<R>,
      subject: string,
      payload?: NatsPayload,
      opts?: WithHeaders,
    ) {
      const { span, ctx } = sendSpan(subject);
      let sent: Promise<R>;
      try {
        sent = js.publish(subject, payload, withContext(opts, ctx));
      } catch (error) {
        sent = Promise.reject(error);
      }
      return sendAwaiting(span, sent, false);
    },

    /**
     * Runs `handler(msg)` in a `process {subject}` span that continues the sender's trace;
     * returns the handler's result unchanged. Works for core and JetStream messages.
     */
    process<M extends NatsMsg, T>(msg: M, handler: (msg: M) => T): T {
      let started: { span: Span; ctx: Context };
      try {
        started = startProcess(tracer, trust, SYSTEM, msg.subject, msg.headers);
      } catch (error) {
        reportFault('nats process span', error);
        return handler(msg); // a broken tracer: run untraced
      }
      return context.with(started.ctx, endWhenSettled<M, T>, undefined, started.span, handler, msg);
    },

    /** `msg.respond` with the current context (the `process` span) in the reply's headers. */
    respond(msg: NatsRequestMsg, payload?: NatsPayload, opts?: WithHeaders): boolean {
      return msg.respond(payload, replyContext ? withContext(opts, context.active()) : opts);
    },
  };
}

export type NatsTracing = ReturnType<typeof natsTracing>;
