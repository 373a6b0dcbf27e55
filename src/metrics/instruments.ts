import { metrics, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { VERSION } from '../version.js';
import {
  CALL_SECONDS_BUCKETS,
  OPERATION_SECONDS_BUCKETS,
  TOKEN_BUCKETS,
  VOICE_SECONDS_BUCKETS,
  VoiceMetric,
} from './names.js';

/** The instruments of one MeterProvider, created once on first use. */
export interface Instruments {
  operationDuration: Histogram;
  tokenUsage: Histogram;
  firstAudio: Histogram;
  wait: Histogram;
  toolDuration: Histogram;
  bargeIns: Counter;
  interruptions: Counter;
  callDuration: Histogram;
  dropped: Counter;
}

const byProvider = new WeakMap<MeterProvider, Instruments>();

/**
 * The instruments for `provider`, or the global MeterProvider at the time of the call (so a
 * provider registered after calltrace was set up is still used). Without an SDK the API's
 * no-op meter hands out no-op instruments: recording costs a method call.
 */
export function instruments(provider?: MeterProvider): Instruments {
  const p = provider ?? metrics.getMeterProvider();
  let found = byProvider.get(p);
  if (!found) {
    found = create(p);
    byProvider.set(p, found);
  }
  return found;
}

function create(provider: MeterProvider): Instruments {
  const meter = provider.getMeter('calltrace', VERSION);
  const seconds = (name: string, description: string, boundaries: number[]) =>
    meter.createHistogram(name, {
      unit: 's',
      description,
      advice: { explicitBucketBoundaries: boundaries },
    });
  return {
    operationDuration: seconds(
      VoiceMetric.operationDuration,
      'GenAI operation duration (one model response).',
      OPERATION_SECONDS_BUCKETS,
    ),
    tokenUsage: meter.createHistogram(VoiceMetric.tokenUsage, {
      unit: '{token}',
      description: 'Number of input and output tokens used.',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    firstAudio: seconds(
      VoiceMetric.firstAudio,
      "The caller's wait: end of their turn to the agent's first audio.",
      VOICE_SECONDS_BUCKETS,
    ),
    wait: seconds(
      VoiceMetric.wait,
      "The caller's wait split into ours (tools, relay) and the model's.",
      VOICE_SECONDS_BUCKETS,
    ),
    toolDuration: seconds(
      VoiceMetric.toolDuration,
      'One tool execution.',
      OPERATION_SECONDS_BUCKETS,
    ),
    bargeIns: meter.createCounter(VoiceMetric.bargeIns, {
      unit: '{barge_in}',
      description: 'The caller spoke over agent audio that was still playing.',
    }),
    interruptions: meter.createCounter(VoiceMetric.interruptions, {
      unit: '{interruption}',
      description: 'Agent audio cut short by a guardrail or the app (not the caller).',
    }),
    callDuration: seconds(
      VoiceMetric.callDuration,
      'One call, start to end.',
      CALL_SECONDS_BUCKETS,
    ),
    dropped: meter.createCounter(VoiceMetric.dropped, {
      unit: '{item}',
      description: 'What a calltrace bound dropped (index writes, tail-sampler sheds, open spans).',
    }),
  };
}

/**
 * Caps the distinct values one attribute can take (tool names, models, call statuses come
 * from the app): the first `max` seen are kept, later new ones read `_other`.
 */
export class BoundedLabels {
  readonly #seen = new Set<string>();
  constructor(private readonly max = 100) {}

  label(value: unknown): string {
    if (typeof value !== 'string' || value === '') return '_unknown';
    const v = value.slice(0, 64);
    if (this.#seen.has(v)) return v;
    if (this.#seen.size >= this.max) return '_other';
    this.#seen.add(v);
    return v;
  }
}
