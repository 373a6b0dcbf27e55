import { context, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { injectHeaders, recordGetter, safeExtract } from '../kit.js';

/** A `traceparent` + `tracestate` record is well under 1 KiB; anything longer is not ours. */
const MAX_METADATA_LENGTH = 2048;

/**
 * The context as bullmq-otel serializes it into `job.opts.telemetry.metadata`: the propagator's
 * fields as a JSON string, `{"traceparent":"00-…"}`. Never throws.
 */
export function contextToMetadata(ctx: Context = context.active()): string {
  try {
    return JSON.stringify(injectHeaders({}, ctx));
  } catch {
    return '{}';
  }
}

/**
 * The context carried by a job's metadata on top of `base`, or `base` itself when the metadata
 * is missing, not JSON, not an object, oversized or holds an invalid `traceparent`. Never throws.
 */
export function contextFromMetadata(metadata: unknown, base: Context = ROOT_CONTEXT): Context {
  if (typeof metadata !== 'string' || metadata.length > MAX_METADATA_LENGTH) return base;
  let carrier: unknown;
  try {
    carrier = JSON.parse(metadata);
  } catch {
    return base;
  }
  if (!carrier || typeof carrier !== 'object' || Array.isArray(carrier)) return base;
  return safeExtract(carrier as Record<string, unknown>, recordGetter, base).context;
}

/** The producer's context of a job (from `job.opts.telemetry.metadata`), or ROOT_CONTEXT. */
export function jobContext(
  job: { opts?: { telemetry?: { metadata?: string } } } | undefined,
): Context {
  let metadata: unknown;
  try {
    metadata = job?.opts?.telemetry?.metadata;
  } catch {
    return ROOT_CONTEXT;
  }
  return contextFromMetadata(metadata);
}

/**
 * Job options' `telemetry` field carrying `ctx` (default: the active context), for queues
 * without a `telemetry` instance: `queue.add(name, data, { telemetry: jobTelemetry() })`.
 */
export function jobTelemetry(ctx?: Context): { metadata: string } {
  return { metadata: contextToMetadata(ctx) };
}
