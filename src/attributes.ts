import { ATTR_GEN_AI_REALTIME_SESSION_ID } from './semconv.js';

/**
 * calltrace's own attribute keys, for what the OpenTelemetry conventions do not cover.
 * Any key that can hold personal data has a `.pii.` segment and is only written on opt-in.
 */
export const CallAttr = {
  callId: 'calltrace.call.id',
  direction: 'calltrace.call.direction',
  provider: 'calltrace.call.provider',
  providerCallId: 'calltrace.call.provider_call_id',
  calleeNumber: 'calltrace.call.callee_number',
  callerNumberMasked: 'calltrace.call.caller_number_masked',
  callerNumberHash: 'calltrace.call.caller_number_hash',
  callerNumberPii: 'calltrace.pii.caller_number',
  /** Outbound calls: the customer is the callee, masked like a caller. */
  calleeNumberMasked: 'calltrace.call.callee_number_masked',
  calleeNumberPii: 'calltrace.pii.callee_number',
  status: 'calltrace.call.status',
  endReason: 'calltrace.call.end_reason',
  toolCalls: 'calltrace.call.tool_calls',
  toolErrors: 'calltrace.call.tool_errors',
  /** Caller turns (Realtime exchanges that got a response) in the call. */
  turns: 'calltrace.call.turns',
  bargeIns: 'calltrace.call.barge_ins',
  /** Server errors, failed responses and lost connections (not normal closes). */
  errors: 'calltrace.call.errors',
  /** Worst and median caller wait (end of speech → first agent audio), ms. */
  firstAudioMaxMs: 'calltrace.call.first_audio_ms.max',
  firstAudioP50Ms: 'calltrace.call.first_audio_ms.p50',
  openaiTraceId: 'calltrace.openai.trace_id',
  openaiGroupId: 'calltrace.openai.group_id',
} as const;

/**
 * Token sums over a span's inference children (Agents SDK `task`/`turn`/`agent` spans, Realtime
 * exchanges). The GenAI conventions put `gen_ai.usage.*` on inference spans only, so a per-trace
 * sum of `gen_ai.usage.*` counts each token once; these `calltrace.*` copies are never summed.
 */
export const UsageAggregateAttr = {
  inputTokens: 'calltrace.usage.input_tokens',
  outputTokens: 'calltrace.usage.output_tokens',
  cacheReadInputTokens: 'calltrace.usage.cache_read.input_tokens',
} as const;

/** Attributes of spans bridged from the Agents SDK. */
export const SdkAttr = {
  spanType: 'calltrace.sdk.span_type',
  turnNumber: 'calltrace.agent.turn',
  handoffFrom: 'calltrace.handoff.from_agent',
  handoffTo: 'calltrace.handoff.to_agent',
  guardrailName: 'calltrace.guardrail.name',
  guardrailTriggered: 'calltrace.guardrail.triggered',
  mcpServer: 'calltrace.mcp.server',
  customName: 'calltrace.custom.name',
  /** Why a bridged span was ended by calltrace rather than the SDK. */
  unfinished: 'calltrace.sdk.unfinished',
} as const;

/** The `gen_ai.realtime.session` span (CLIENT): one Realtime connection. */
export const RealtimeAttr = {
  /** `websocket`, `twilio`, `sip`, `webrtc` or the transport's class name. */
  transport: 'calltrace.realtime.transport',
  /** OpenAI's session id from `session.created` (the GenAI conventions' key). */
  sessionId: ATTR_GEN_AI_REALTIME_SESSION_ID,
  /** Server `error` events, failed responses and a lost connection in the session. */
  errors: 'calltrace.realtime.errors',
  /**
   * Why the session ended: `closed` (close(), server close 1000, SIP hang-up),
   * `connection_lost` (any other close: ERROR), `call_ended`, `detached`.
   */
  endReason: 'calltrace.realtime.end_reason',
  /** `server_vad`, `semantic_vad` or `none` (push-to-talk), from the session config. */
  turnDetectionType: 'calltrace.realtime.turn_detection.type',
  /** server_vad: the silence that ends speech — `speech_stopped` comes this much after it. */
  turnDetectionSilenceMs: 'calltrace.realtime.turn_detection.silence_duration_ms',
  turnDetectionPrefixPaddingMs: 'calltrace.realtime.turn_detection.prefix_padding_ms',
  /** semantic_vad: `low`, `medium`, `high` or `auto` (low waits longest). */
  turnDetectionEagerness: 'calltrace.realtime.turn_detection.eagerness',
  turnDetectionInterruptResponse: 'calltrace.realtime.turn_detection.interrupt_response',
  turnDetectionCreateResponse: 'calltrace.realtime.turn_detection.create_response',
} as const;

/**
 * One exchange: a caller turn (`invoke_agent {agent}`), from the caller's input to the end of
 * the agent's answer, every response and tool round trip included. The `*_ms` figures are ms
 * from the anchor (receipt of `speech_stopped`, or `committed` for push-to-talk) and exist only
 * when the exchange had both caller audio and agent audio.
 */
export const TurnAttr = {
  index: 'calltrace.turn.index',
  /** `speech`, `push_to_talk` or `none` (no caller audio: a greeting, a text message). */
  input: 'calltrace.turn.input',
  /** `speech_stopped` or `input_committed`. */
  anchor: 'calltrace.turn.anchor',
  /** Model responses in the exchange. */
  responses: 'calltrace.turn.responses',
  /** `answered`, `no_audio`, `interrupted`, `failed` or `unfinished`. */
  status: 'calltrace.turn.status',
  /** `barge_in` (the caller), `guardrail` or `manual`. */
  interruptedBy: 'calltrace.turn.interrupted_by',
  /** The server's speech timestamps (its audio clock); audio_end_ms includes the VAD window. */
  speechAudioStartMs: 'calltrace.turn.speech.audio_start_ms',
  speechAudioEndMs: 'calltrace.turn.speech.audio_end_ms',
  responseCreatedMs: 'calltrace.turn.response_created_ms',
  /** The caller's wait: anchor → first agent audio, measured at `firstAudioSource`. */
  firstAudioMs: 'calltrace.turn.first_audio_ms',
  /** `model_audio_received`, `relay_sent` or `server_output_buffer_started`. */
  firstAudioSource: 'calltrace.turn.first_audio.source',
  firstAudioReceivedMs: 'calltrace.turn.first_audio_received_ms',
  firstAudioSentMs: 'calltrace.turn.first_audio_sent_ms',
  /** Wall time our tools ran during the caller's wait (parallel tools counted once). */
  toolMs: 'calltrace.turn.tool_ms',
  /** Of the caller's wait: the part spent in our code (tools, relay). */
  waitOursMs: 'calltrace.turn.wait.ours_ms',
  /** … and the part spent waiting for the model. */
  waitModelMs: 'calltrace.turn.wait.model_ms',
} as const;

/** One model response (`realtime_inference {model}`, CLIENT): response.created → response.done. */
export const ResponseAttr = {
  /** `completed`, `cancelled`, `incomplete`, `failed`, or the session end reason. */
  status: 'calltrace.response.status',
} as const;

/** Span events on Realtime spans. */
export const RealtimeEvent = {
  /** The caller spoke while agent audio was still playing (on the exchange whose audio was cut). */
  bargeIn: 'gen_ai.audio.barge_in',
  /** Attribute of `bargeIn`: how far into the cut response's audio the caller started speaking. */
  bargeInElapsedMs: 'audio.elapsed_ms',
  /** Attribute of `bargeIn`: the server's `conversation.item.truncated` audio_end_ms. */
  bargeInAudioEndMs: 'calltrace.barge_in.audio_end_ms',
  /** Playback stopped by a guardrail or the app: never a barge-in. */
  interrupted: 'calltrace.audio.interrupted',
  /** Attribute of `interrupted`: `guardrail` or `manual`. */
  interruptionKind: 'calltrace.interruption.kind',
  speechStarted: 'calltrace.caller.speech_started',
  speechStopped: 'calltrace.caller.speech_stopped',
  inputCommitted: 'calltrace.caller.input_committed',
  firstAudio: 'calltrace.audio.first_received',
  firstAudioSent: 'calltrace.audio.first_sent',
  outputStarted: 'calltrace.audio.output_started',
  serverError: 'calltrace.realtime.error',
  guardrailTripped: 'calltrace.guardrail.tripped',
} as const;

/** The `sip.invite` span: the provider's webhook or SIP INVITE handling. */
export const SipAttr = {
  /** The provider's own direction value (e.g. Twilio `outbound-api`). */
  providerDirection: 'calltrace.sip.provider_direction',
  /** What became of a `traceparent` in the SIP headers: `linked`, `adopted` or absent. */
  incomingTraceparent: 'calltrace.sip.incoming_traceparent',
  /** HTTP status the webhook answered with. */
  responseStatus: 'http.response.status_code',
} as const;

/** Written by the tail sampler (`calltrace/sampler`), only on kept traces that lost spans. */
export const SamplingAttr = {
  /**
   * Why this kept trace is incomplete: `timeout`, `evicted` or `span_limit` (earlier spans were
   * dropped by that bound before the trace qualified), or `shutdown` (forwarded undecided).
   */
  incomplete: 'calltrace.sampling.incomplete',
} as const;
