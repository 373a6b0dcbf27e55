import { isValidTraceId } from '@opentelemetry/api';
import { defaultTracingIdGenerator, type TracingIdGenerator } from '@openai/agents-core';
import { getCallState } from '../call-context.js';
import type { CallState } from '../call-state.js';
import { safely } from '../safe.js';

/**
 * Takes the call's OpenAI trace id, `trace_<the call's OTel trace id>`, if it is still free:
 * once per call, and never for an invalid trace id (all zeros when no tracer provider is
 * registered), which would give every such call the same OpenAI trace. An edge call resumed
 * in a later activation starts with the id taken (see `resumeCall`).
 */
export function claimOpenAITraceId(call: CallState): string | undefined {
  if (call.openaiTraceIdClaimed || !isValidTraceId(call.traceId)) return undefined;
  call.openaiTraceIdClaimed = true;
  return `trace_${call.traceId}`;
}

/**
 * SDK trace ids that lead back to the call: the first Agents SDK trace started inside a call
 * is `trace_<the call's OTel trace id>`. Later traces of the same call (and everything outside
 * a call) get the SDK's usual random ids, so no two OpenAI traces ever share an id.
 */
export const callAwareTraceIds: Partial<TracingIdGenerator> = {
  generateTraceId() {
    const claimed = safely('generateTraceId', () => {
      const call = getCallState();
      return call && claimOpenAITraceId(call);
    });
    return claimed ?? defaultTracingIdGenerator.generateTraceId();
  },
};
