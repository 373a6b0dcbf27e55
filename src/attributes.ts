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
  /** Model turns (Realtime responses) in the call. */
  turns: 'calltrace.call.turns',
  bargeIns: 'calltrace.call.barge_ins',
  /** Server errors, failed turns and dropped connections. */
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

/** The `gen_ai.realtime.session` span. */
export const RealtimeAttr = {
  /** `websocket`, `webrtc`, `sip` or the transport's class name. */
  transport: 'calltrace.realtime.transport',
  /** OpenAI's session id from `session.created`. */
  sessionId: 'calltrace.realtime.session_id',
  /** Server `error` events seen in the session. */
  errors: 'calltrace.realtime.errors',
  /** Why the session ended: `closed`, `connection_lost`, `call_ended`, `detached`. */
  endReason: 'calltrace.realtime.end_reason',
} as const;

/**
 * One Realtime turn (`invoke_agent {agent}`: response.created → response.done). Latencies are
 * ms from the end of the caller's speech (`input_audio_buffer.speech_stopped`), when the turn
 * answers caller speech.
 */
export const TurnAttr = {
  index: 'calltrace.turn.index',
  /** `completed`, `cancelled`, `failed`, `incomplete` or `interrupted`. */
  status: 'calltrace.turn.status',
  responseCreatedMs: 'calltrace.turn.response_created_ms',
  firstAudioMs: 'calltrace.turn.first_audio_ms',
  firstAudioSentMs: 'calltrace.turn.first_audio_sent_ms',
  /** Wall time our tools ran during the caller's wait, up to this turn's first audio. */
  toolMs: 'calltrace.turn.tool_ms',
  /** Of the caller's wait before this turn's first audio: the part spent in our code (tools, relay). */
  waitOursMs: 'calltrace.turn.wait.ours_ms',
  /** … and the part spent waiting for the model. */
  waitModelMs: 'calltrace.turn.wait.model_ms',
  inputAudioTokens: 'calltrace.usage.input_audio_tokens',
  outputAudioTokens: 'calltrace.usage.output_audio_tokens',
} as const;

/** Span events on Realtime spans. */
export const RealtimeEvent = {
  bargeIn: 'gen_ai.audio.barge_in',
  /** Attribute of `bargeIn`: how far into the agent's audio the caller cut in. */
  bargeInElapsedMs: 'audio.elapsed_ms',
  speechStarted: 'calltrace.caller.speech_started',
  speechStopped: 'calltrace.caller.speech_stopped',
  firstAudio: 'calltrace.audio.first_received',
  firstAudioSent: 'calltrace.audio.first_sent',
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
