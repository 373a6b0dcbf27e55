/**
 * Every metric calltrace records, with its unit and buckets, in one place. GenAI client metrics
 * follow the OpenTelemetry GenAI conventions (semantic-conventions docs/gen-ai/gen-ai-metrics.md,
 * development status); the voice metrics are calltrace's own (`calltrace.*`).
 *
 * Cardinality is bounded by construction: every attribute value comes from a fixed set (a
 * source, a transport, an outcome) or from a capped label set (tool names, call statuses, models:
 * `boundedLabel`). No phone number, call id, trace id or free text is ever a metric attribute.
 */

export const VoiceMetric = {
  /** Histogram, s. The GenAI convention's operation duration: one point per model response. */
  operationDuration: 'gen_ai.client.operation.duration',
  /** Histogram, {token}. One point per token type and kind of a response (see TokenAttr). */
  tokenUsage: 'gen_ai.client.token.usage',
  /** Histogram, s. End of the caller's turn → first agent audio, by source and transport. */
  firstAudio: 'calltrace.voice.first_audio.duration',
  /** Histogram, s. The same wait split: `calltrace.wait.party` = ours | model. */
  wait: 'calltrace.voice.wait.duration',
  /** Histogram, s. One tool execution, by tool name and outcome. */
  toolDuration: 'calltrace.tool.duration',
  /** Counter. The caller spoke over agent audio that was still playing. */
  bargeIns: 'calltrace.voice.barge_ins',
  /** Counter. Agent audio cut by a guardrail or the app (`calltrace.interruption.kind`). */
  interruptions: 'calltrace.voice.interruptions',
  /** Histogram, s. One call, start → end, by outcome and status. Its count is calls by outcome. */
  callDuration: 'calltrace.call.duration',
  /** Counter. What a bound dropped: index writes, tail-sampler sheds, open spans… (`calltrace.drop.kind`). */
  dropped: 'calltrace.dropped',
} as const;

/** Metric attribute keys of calltrace's own (GenAI keys come from src/semconv.ts). */
export const MetricAttr = {
  transport: 'calltrace.realtime.transport',
  firstAudioSource: 'calltrace.turn.first_audio.source',
  anchor: 'calltrace.turn.anchor',
  waitParty: 'calltrace.wait.party',
  outcome: 'calltrace.outcome',
  callStatus: 'calltrace.call.status',
  interruptionKind: 'calltrace.interruption.kind',
  dropKind: 'calltrace.drop.kind',
  tokenModality: 'calltrace.token.modality',
  tokenCached: 'calltrace.token.cached',
} as const;

/**
 * Seconds. Voice waits live between ~100 ms and a few seconds; the default OTel buckets
 * (0, 5, 10, 25 … 10000) are for milliseconds of HTTP and would put every turn in one bucket.
 */
export const VOICE_SECONDS_BUCKETS = [
  0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10,
];

/** Seconds, for model responses and tools (the GenAI convention's advice, to 81.92 s). */
export const OPERATION_SECONDS_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** Seconds, for whole calls: 10 s to 1 h. */
export const CALL_SECONDS_BUCKETS = [10, 30, 60, 120, 180, 300, 600, 900, 1800, 3600];

/** {token}, the GenAI convention's advice. */
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
