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
  status: 'calltrace.call.status',
  endReason: 'calltrace.call.end_reason',
  toolCalls: 'calltrace.call.tool_calls',
  toolErrors: 'calltrace.call.tool_errors',
  openaiTraceId: 'calltrace.openai.trace_id',
  openaiGroupId: 'calltrace.openai.group_id',
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
