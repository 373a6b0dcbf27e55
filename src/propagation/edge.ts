import { ROOT_CONTEXT, type Context, type Link, type TextMapGetter } from '@opentelemetry/api';
import { safeExtract } from './carrier.js';

/**
 * How an endpoint treats an incoming `traceparent`:
 * - `'parent'`: adopt it — the handler's span is a child of the caller's (internal services).
 * - `'link'`: start a new trace and link to the caller's span (endpoints reachable from the
 *   internet, where anyone can send a `traceparent`).
 */
export type IncomingTrust = 'parent' | 'link';

export interface IncomingContext {
  /** Parent context for the handler's span. */
  parent: Context;
  /** Links for the handler's span (the untrusted caller, when `trust` is `'link'`). */
  links: Link[];
  /** Whether the new span should be a root. */
  root: boolean;
}

/** Extracts the caller's context and applies the trust decision. Never throws. */
export function incomingContext<C>(
  carrier: C,
  getter: TextMapGetter<C>,
  trust: IncomingTrust,
): IncomingContext {
  const { context, remote } = safeExtract(carrier, getter, ROOT_CONTEXT);
  if (!remote) return { parent: ROOT_CONTEXT, links: [], root: true };
  if (trust === 'parent') return { parent: context, links: [], root: false };
  return { parent: ROOT_CONTEXT, links: [{ context: remote }], root: true };
}
