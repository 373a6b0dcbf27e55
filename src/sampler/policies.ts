import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CallAttr, TurnAttr } from '../attributes.js';
import { safely } from '../safe.js';
import type { ResolvedSamplerOptions } from './options.js';

/** Why a trace was kept by a policy (as opposed to the ratio). */
export type KeepReason = 'error' | 'first_audio' | 'rule';

/**
 * The keep policies, each a test on one span: a trace qualifies as soon as any of its spans
 * does, which is what lets the sampler decide early and stream the rest of a long call.
 */
export function keepReason(span: ReadableSpan, o: ResolvedSamplerOptions): KeepReason | undefined {
  if (span.status.code === SpanStatusCode.ERROR) return 'error';
  const attrs = span.attributes;
  if (
    over(attrs[CallAttr.firstAudioMaxMs], o.firstAudioThresholdMs) ||
    over(attrs[TurnAttr.firstAudioMs], o.firstAudioThresholdMs)
  ) {
    return 'first_audio';
  }
  for (const rule of o.rules) {
    if (safely('sampler rule', () => rule(span) === true, false)) return 'rule';
  }
  return undefined;
}

const over = (value: unknown, threshold: number) => typeof value === 'number' && value > threshold;

/** The local root: no parent, or a parent in another process. Its end is the decision point. */
export function isLocalRoot(span: Pick<ReadableSpan, 'parentSpanContext'>): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}
