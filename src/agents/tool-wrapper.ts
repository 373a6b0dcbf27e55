import { context, type Context } from '@opentelemetry/api';
import { safely } from '../safe.js';

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

/** Where a tool invocation runs: the tool span's context, and how to learn its outcome. */
export interface ToolInvocationTarget {
  context: Context;
  /** Told whether the invocation failed (rejected, or returned the SDK's error text). */
  settle?: (failed: boolean, result: unknown) => void;
}

/** Finds the tool span for one invocation from the SDK's `details` (`details.toolCall.callId`). */
export type ToolSpanResolver = (details: any) => ToolInvocationTarget | undefined;

/** Marks our wrapper so a tool reachable twice (shared between agents) is wrapped once. */
const ORIGINAL = Symbol.for('calltrace.originalInvoke');

export function isFunctionTool(tool: unknown): tool is FunctionToolLike {
  const t = tool as FunctionToolLike | null;
  return !!t && t.type === 'function' && typeof t.invoke === 'function';
}

/**
 * Wraps one tool instance's `invoke` (a plain property, no prototype involved) so that the
 * tool's OTel span is the active context while it runs: HTTP or NATS calls made inside nest
 * under it. The same `invoke` serves Runner and RealtimeSession, so one wrapper covers both.
 * Returns the undo, or undefined when the tool is not a function tool or already wrapped.
 */
export function wrapToolInvoke(tool: unknown, resolve: ToolSpanResolver): (() => void) | undefined {
  if (!isFunctionTool(tool) || ORIGINAL in tool.invoke) return undefined;
  const original = tool.invoke;
  const wrapped: Invoke = function (this: unknown, runContext, input, details) {
    const target = safely('tool invoke', () => resolve(details));
    if (!target) return original.call(this, runContext, input, details);
    const result = context.with(target.context, original, this, runContext, input, details);
    const settle = target.settle;
    if (!settle) return result;
    return result.then(
      (value) => {
        safely('tool settle', () => settle(false, value));
        return value;
      },
      (error: unknown) => {
        safely('tool settle', () => settle(true, error));
        throw error;
      },
    );
  };
  Object.defineProperty(wrapped, ORIGINAL, { value: original });
  tool.invoke = wrapped;
  return () => {
    if (tool.invoke === wrapped) tool.invoke = original;
  };
}
