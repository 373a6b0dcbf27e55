import { context, createContextKey, type Context } from '@opentelemetry/api';
import type { CallState } from './call-state.js';

/** The call a piece of code runs for travels in the OTel context under this key. */
const CALL_KEY = createContextKey('calltrace.call');

export function contextWithCall(ctx: Context, call: CallState): Context {
  return ctx.setValue(CALL_KEY, call);
}

/** The call whose context is active (or given), if any. */
export function getCallState(ctx: Context = context.active()): CallState | undefined {
  try {
    return ctx.getValue(CALL_KEY) as CallState | undefined;
  } catch {
    return undefined; // not a context: no call
  }
}

/**
 * For helpers that need one of calltrace's own calls (a `startCall` handle or an `EdgeCall`):
 * anything else is the host's programming error, reported at once with a clear message.
 */
export function assertCall(api: string, call: unknown): void {
  let ok = false;
  try {
    const c = call as { callId?: unknown; openai?: { workflowName?: unknown } } | undefined;
    ok = !!c && typeof c.callId === 'string' && typeof c.openai?.workflowName === 'string';
  } catch {
    ok = false;
  }
  if (!ok) throw new TypeError(`${api}: pass a call from startCall() or openEdgeCall()`);
}
