import { defaultTracingIdGenerator, type TracingIdGenerator } from '@openai/agents-core';
import { getCallState } from '../call-context.js';
import { safely } from '../safe.js';

/**
 * SDK trace ids that lead back to the call: the first Agents SDK trace started inside a call
 * is `trace_<the call's OTel trace id>`. Later traces of the same call (and everything outside
 * a call) get the SDK's usual random ids, so no two OpenAI traces ever share an id.
 */
export const callAwareTraceIds: Partial<TracingIdGenerator> = {
  generateTraceId() {
    const claimed = safely('generateTraceId', () => {
      const call = getCallState();
      if (!call || call.openaiTraceIdClaimed) return undefined;
      call.openaiTraceIdClaimed = true;
      return `trace_${call.traceId}`;
    });
    return claimed ?? defaultTracingIdGenerator.generateTraceId();
  },
};
