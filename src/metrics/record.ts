import type { Attributes, Context, MeterProvider } from '@opentelemetry/api';
import { safely } from '../safe.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_NAME,
  GEN_AI_PROVIDER_OPENAI,
} from '../semconv.js';
import { BoundedLabels, instruments } from './instruments.js';
import { MetricAttr } from './names.js';
import type { TokenPart } from './token-parts.js';

/**
 * The one place calltrace turns its measurements into metric points. Callers pass the figures
 * the spans already carry (nothing is re-derived) and the span's context, so an SDK that keeps
 * exemplars can link the point to its trace. Every function is guarded: a broken meter never
 * reaches the call.
 */

const toolNames = new BoundedLabels(100);
const models = new BoundedLabels(20);
const statuses = new BoundedLabels(20);
const seconds = (ms: number) => ms / 1000;

/** What one closed exchange contributes (figures only when the caller waited and heard audio). */
export interface ExchangePoint {
  transport: string;
  figures?: {
    firstAudioMs: number;
    source: string;
    anchor: string;
    oursMs: number;
    modelMs: number;
  };
  bargeIn: boolean;
  interruptionKinds: string[];
}

export function recordExchange(
  provider: MeterProvider | undefined,
  point: ExchangePoint,
  context: Context | undefined,
): void {
  safely('metrics.exchange', () => {
    const m = instruments(provider);
    const transport = { [MetricAttr.transport]: point.transport };
    const f = point.figures;
    if (f) {
      m.firstAudio.record(
        seconds(f.firstAudioMs),
        { ...transport, [MetricAttr.firstAudioSource]: f.source, [MetricAttr.anchor]: f.anchor },
        context,
      );
      m.wait.record(seconds(f.oursMs), { ...transport, [MetricAttr.waitParty]: 'ours' }, context);
      m.wait.record(seconds(f.modelMs), { ...transport, [MetricAttr.waitParty]: 'model' }, context);
    }
    if (point.bargeIn) m.bargeIns.add(1, transport, context);
    for (const kind of point.interruptionKinds) {
      m.interruptions.add(1, { ...transport, [MetricAttr.interruptionKind]: kind }, context);
    }
  });
}

export interface ResponsePoint {
  operation: string;
  model?: string;
  durationMs: number;
  tokens: TokenPart[];
  errorType?: string;
}

/** One model response: `gen_ai.client.operation.duration` and `gen_ai.client.token.usage`. */
export function recordResponse(
  provider: MeterProvider | undefined,
  point: ResponsePoint,
  context: Context | undefined,
): void {
  safely('metrics.response', () => {
    const m = instruments(provider);
    const base: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: point.operation,
      [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      [ATTR_GEN_AI_REQUEST_MODEL]: models.label(point.model),
    };
    const duration = point.errorType
      ? { ...base, [ATTR_ERROR_TYPE]: point.errorType.slice(0, 64) }
      : base;
    m.operationDuration.record(seconds(point.durationMs), duration, context);
    for (const part of point.tokens) {
      m.tokenUsage.record(
        part.count,
        {
          ...base,
          [ATTR_GEN_AI_TOKEN_TYPE]: part.type,
          [MetricAttr.tokenModality]: part.modality,
          [MetricAttr.tokenCached]: part.cached,
        },
        context,
      );
    }
  });
}

/** One tool execution, by tool name (capped) and outcome. */
export function recordTool(
  provider: MeterProvider | undefined,
  name: unknown,
  failed: boolean,
  durationMs: number,
  context: Context | undefined,
): void {
  safely('metrics.tool', () => {
    instruments(provider).toolDuration.record(
      seconds(durationMs),
      {
        [ATTR_GEN_AI_TOOL_NAME]: toolNames.label(name),
        [MetricAttr.outcome]: failed ? 'error' : 'ok',
      },
      context,
    );
  });
}

/** One finished call: its duration by outcome and (capped) status; the count is calls by outcome. */
export function recordCall(
  provider: MeterProvider | undefined,
  status: string,
  failed: boolean,
  durationMs: number,
  context: Context | undefined,
): void {
  safely('metrics.call', () => {
    instruments(provider).callDuration.record(
      seconds(durationMs),
      {
        [MetricAttr.outcome]: failed ? 'error' : 'ok',
        [MetricAttr.callStatus]: statuses.label(status),
      },
      context,
    );
  });
}

/** What a bound dropped, by the bound's fixed kind (a code constant, never user input). */
export function recordDrop(kind: string, n: number): void {
  safely('metrics.drop', () => {
    instruments().dropped.add(n, { [MetricAttr.dropKind]: kind });
  });
}
