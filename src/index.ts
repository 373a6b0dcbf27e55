export { startCall, CallHandle } from './call.js';
export type { StartCallOptions, EndCallOptions } from './call.js';
export { getCallState as activeCall } from './call-context.js';
export type { CallState } from './call-state.js';
export { callTracing } from './plugin.js';
export type { CallTracingPlugin, TracingTarget } from './plugin.js';
export type { CallTracingOptions, SpanNameInfo } from './options.js';
export { withUse } from './use.js';
export type { WithUse, Plugin } from './use.js';
export { openAICorrelation, realtimeTracingConfig } from './openai-correlation.js';
export type { OpenAICorrelation, RealtimeTracingConfig } from './openai-correlation.js';
export { maskPhoneNumber, normalizePhoneNumber } from './phone.js';
export {
  CallAttr,
  SdkAttr,
  RealtimeAttr,
  TurnAttr,
  ResponseAttr,
  RealtimeEvent,
  SipAttr,
  SamplingAttr,
  UsageAggregateAttr,
} from './attributes.js';
export * from './semconv.js';
export {
  VoiceMetric,
  MetricAttr,
  VOICE_SECONDS_BUCKETS,
  OPERATION_SECONDS_BUCKETS,
  CALL_SECONDS_BUCKETS,
  TOKEN_BUCKETS,
} from './metrics/index.js';
export { formatTraceTree } from './dev/format-tree.js';
export type { FinishedSpanLike, FormatTreeOptions } from './dev/format-tree.js';
export {
  injectHeaders,
  safeExtract,
  safeInject,
  incomingContext,
  recordGetter,
  recordSetter,
  W3CTraceContextLevel2Propagator,
} from './propagation/index.js';
export type { IncomingContext, IncomingTrust } from './propagation/index.js';
export {
  markAudioSentToCaller,
  realtimeSessionTracing,
  tracedRealtimeWebSocket,
  withClientSecretTracing,
  withSipAcceptTracing,
  REALTIME_SESSION_SPAN,
} from './realtime/index.js';
export { CallRegistry } from './call-registry.js';
export type { CallRegistryOptions } from './call-registry.js';
