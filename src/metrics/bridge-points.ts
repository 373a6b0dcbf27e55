import type { Context, MeterProvider } from '@opentelemetry/api';
import { GEN_AI_OPERATION } from '../semconv.js';
import { readUsage } from '../usage.js';
import { recordResponse, recordTool } from './record.js';
import { textTokenParts } from './token-parts.js';

type Obj = Record<string, any>;
const objectOf = (v: unknown): Obj | undefined =>
  v && typeof v === 'object' ? (v as Obj) : undefined;

/** Wall time of an SDK span from its ISO timestamps (ms), or undefined. */
function durationMs(startedAt: unknown, endedAt: unknown): number | undefined {
  if (typeof startedAt !== 'string' || typeof endedAt !== 'string') return undefined;
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * Metric points of one finished Agents SDK span (text agents): a model call (generation or
 * response span) → operation duration and token usage; a function span → tool duration.
 * Usage is read from the same fields the span's attributes come from (src/usage.ts).
 */
export function recordSdkSpanMetrics(
  provider: MeterProvider | undefined,
  sdkSpan: { startedAt?: unknown; endedAt?: unknown; spanData: Obj },
  model: string | undefined,
  failed: boolean,
  context: Context,
): void {
  const d = sdkSpan.spanData;
  const ms = durationMs(sdkSpan.startedAt, sdkSpan.endedAt);
  if (ms === undefined) return;
  if (d.type === 'function') {
    recordTool(provider, d.name, failed, ms, context);
    return;
  }
  if (d.type !== 'generation' && d.type !== 'response') return;
  let usage =
    d.type === 'generation' ? readUsage(d.usage) : readUsage(objectOf(d._response)?.usage);
  if (d.type === 'generation' && usage.input === undefined && usage.output === undefined) {
    usage = readUsage(objectOf(Array.isArray(d.output) ? d.output[0] : undefined)?.usage);
  }
  recordResponse(
    provider,
    {
      operation: GEN_AI_OPERATION.chat,
      model,
      durationMs: ms,
      tokens: textTokenParts(usage.input, usage.output, usage.cachedInput),
      errorType: failed ? '_OTHER' : undefined,
    },
    context,
  );
}
