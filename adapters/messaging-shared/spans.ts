import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { incomingContext, type IncomingTrust } from '../../src/propagation/index.js';
import { errorType, reportFault } from '../kit.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION,
} from '../../src/semconv.js';

/** Opens a PRODUCER `send {destination}` span under `parent`. */
export function startSend(tracer: Tracer, system: string, destination: string, parent: Context) {
  return tracer.startSpan(
    `${MESSAGING_OPERATION.send} ${destination}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: system,
        [ATTR_MESSAGING_DESTINATION_NAME]: destination,
        [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION.send,
      },
    },
    parent,
  );
}

/**
 * The receiving side: adopts the sender's context (`'parent'`) or links to it (`'link'`)
 * through `incomingContext`, and opens a CONSUMER `process {destination}` span. Garbage never
 * throws and is never adopted: the span then starts a fresh trace.
 */
export function processStarter<C>(getter: TextMapGetter<C>) {
  return function startProcess(
    tracer: Tracer,
    trust: IncomingTrust,
    system: string,
    destination: string,
    carrier: C,
  ): { span: Span; ctx: Context } {
    const { parent, links } = incomingContext(carrier, getter, trust);
    const span = startProcessIn(tracer, system, destination, parent, links);
    return { span, ctx: trace.setSpan(parent, span) };
  };
}

/** Opens a CONSUMER `process {destination}` span under `parent`. */
export function startProcessIn(
  tracer: Tracer,
  system: string,
  destination: string,
  parent: Context,
  links?: Link[],
): Span {
  return tracer.startSpan(
    `${MESSAGING_OPERATION.process} ${destination}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: system,
        [ATTR_MESSAGING_DESTINATION_NAME]: destination,
        [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION.process,
      },
    },
    parent,
  );
}

/** Ends `span` with ERROR and `error.type` when `error` is set. Never throws. */
export function endSpan(span: Span, error?: unknown): void {
  try {
    if (error !== undefined) {
      if (error instanceof Error) span.recordException(error);
      span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  } catch (error) {
    reportFault('messaging span', error); // a throwing span processor must not reach the host
  }
}

/**
 * Runs `fn(arg)` and ends `span` when it settles, returning `fn`'s own result (the same
 * promise, so rejections reach the caller unchanged). Takes `arg` rather than a closure: this
 * runs once per message.
 */
export function endWhenSettled<A, T>(span: Span, fn: (arg: A) => T, arg: A): T {
  let result: T;
  try {
    result = fn(arg);
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as PromiseLike<unknown>).then(
      () => endSpan(span),
      (error: unknown) => endSpan(span, error),
    );
  } else endSpan(span);
  return result;
}
