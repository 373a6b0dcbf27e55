import { context } from '@opentelemetry/api';
import { getCurrentSpan } from '@openai/agents-core';
import { safely } from '../safe.js';
import type { AgentsSpanBridge } from './span-bridge.js';

type Invoke = (
  this: unknown,
  runContext: unknown,
  input: string,
  details?: any,
) => Promise<unknown>;
interface FunctionToolLike {
  type: string;
  invoke: Invoke;
}

/** Marks our wrapper so a tool reachable twice (shared between agents) is wrapped once. */
const ORIGINAL = Symbol.for('calltrace.originalInvoke');

export function isFunctionTool(tool: unknown): tool is FunctionToolLike {
  const t = tool as FunctionToolLike | null;
  return !!t && t.type === 'function' && typeof t.invoke === 'function';
}

/**
 * Wraps one tool instance's `invoke` (a plain property, no prototype involved) so that the
 * tool's OTel span is the active context while it runs: HTTP or NATS calls made inside nest
 * under it. Also records the tool call id, which the SDK's function spans do not carry.
 * Returns the undo, or undefined when the tool is not a function tool or already wrapped.
 */
export function wrapToolInvoke(tool: unknown, bridge: AgentsSpanBridge): (() => void) | undefined {
  if (!isFunctionTool(tool) || ORIGINAL in tool.invoke) return undefined;
  const original = tool.invoke;
  const wrapped: Invoke = function (this: unknown, runContext, input, details) {
    const bridged = safely('tool invoke', () => {
      const sdkSpan = getCurrentSpan();
      if (sdkSpan?.spanData?.type !== 'function') return undefined;
      bridge.setToolCallId(sdkSpan, details?.toolCall?.callId);
      return bridge.ensure(sdkSpan);
    });
    if (!bridged) return original.call(this, runContext, input, details);
    return context.with(bridged.context, original, this, runContext, input, details);
  };
  Object.defineProperty(wrapped, ORIGINAL, { value: original });
  tool.invoke = wrapped;
  return () => {
    if (tool.invoke === wrapped) tool.invoke = original;
  };
}
