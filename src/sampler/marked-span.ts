import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * An ended span is immutable (and `attributes` of the SDK's span is frozen in spirit: changing
 * it after onEnd races the exporter), so a mark is added to a copy that exporters read alike.
 */
export function withAttribute(span: ReadableSpan, key: string, value: string): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: { ...span.attributes, [key]: value },
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
