import { readField } from './read-options.js';
import { isValidTraceId } from '@opentelemetry/api';

/**
 * The keys that make a call findable on the OpenAI side. OpenAI never returns its trace ids
 * for Realtime sessions, so group id and metadata are the reliable way back; for Agents SDK
 * runs the trace id itself can be ours.
 */
export interface OpenAICorrelation {
  /**
   * `trace_` + our 32-hex OTel trace id: a valid Agents SDK trace id. Undefined when the call
   * has no valid trace id (all zeros: no tracer provider registered), so that such calls never
   * share one OpenAI trace.
   */
  traceId: string | undefined;
  /** Default workflow name on the OpenAI dashboard. */
  workflowName: string;
  /** The call id: groups every OpenAI trace of the call. */
  groupId: string;
  /** Carries our trace id (when valid) and call id into OpenAI's trace metadata. */
  traceMetadata: { calltrace_trace_id?: string; call_id: string };
}

export const DEFAULT_WORKFLOW_NAME = 'calltrace call';

export function openAICorrelation(callId: string, otelTraceId: string): OpenAICorrelation {
  const valid = isValidTraceId(otelTraceId);
  return {
    traceId: valid ? `trace_${otelTraceId}` : undefined,
    workflowName: DEFAULT_WORKFLOW_NAME,
    groupId: callId,
    traceMetadata: valid
      ? { calltrace_trace_id: otelTraceId, call_id: callId }
      : { call_id: callId },
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
  if (typeof readField(c, 'groupId') !== 'string')
    throw new TypeError('realtimeTracingConfig: pass call.openai');
  return { workflow_name: c.workflowName, group_id: c.groupId, metadata: metadataOf(c) };
}

/** The trace metadata as plain strings (a key without a value is left out). */
export function metadataOf(c: Pick<OpenAICorrelation, 'traceMetadata'>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(c.traceMetadata))
    if (typeof value === 'string') metadata[key] = value;
  return metadata;
}
