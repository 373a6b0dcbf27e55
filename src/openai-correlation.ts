/**
 * The keys that make a call findable on the OpenAI side. OpenAI never returns its trace ids
 * for Realtime sessions, so group id and metadata are the reliable way back; for Agents SDK
 * runs the trace id itself can be ours.
 */
export interface OpenAICorrelation {
  /** `trace_` + our 32-hex OTel trace id: a valid Agents SDK trace id. */
  traceId: string;
  /** Default workflow name on the OpenAI dashboard. */
  workflowName: string;
  /** The call id: groups every OpenAI trace of the call. */
  groupId: string;
  /** Carries our trace id and call id into OpenAI's trace metadata. */
  traceMetadata: { calltrace_trace_id: string; call_id: string };
}

export const DEFAULT_WORKFLOW_NAME = 'calltrace call';

export function openAICorrelation(callId: string, otelTraceId: string): OpenAICorrelation {
  return {
    traceId: `trace_${otelTraceId}`,
    workflowName: DEFAULT_WORKFLOW_NAME,
    groupId: callId,
    traceMetadata: { calltrace_trace_id: otelTraceId, call_id: callId },
  };
}

/** The Realtime API's `tracing` object (session config, client secrets, SIP accept). */
export interface RealtimeTracingConfig {
  workflow_name: string;
  group_id: string;
  metadata: Record<string, string>;
}

/**
 * The `tracing` value for a Realtime session of this call: put it in
 * `clientSecrets.create({ session: { tracing } })`, `calls.accept(id, { tracing })`, or
 * `session.update`. OpenAI never returns a Realtime trace id, so group id and metadata are
 * how the call is found on the OpenAI dashboard.
 */
export function realtimeTracingConfig(
  c: Pick<OpenAICorrelation, 'workflowName' | 'groupId' | 'traceMetadata'>,
): RealtimeTracingConfig {
  return { workflow_name: c.workflowName, group_id: c.groupId, metadata: { ...c.traceMetadata } };
}
