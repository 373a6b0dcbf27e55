import { context, createContextKey, type Context } from '@opentelemetry/api';
import type { CallState } from './call-state.js';

/** The call a piece of code runs for travels in the OTel context under this key. */
const CALL_KEY = createContextKey('calltrace.call');

export function contextWithCall(ctx: Context, call: CallState): Context {
  return ctx.setValue(CALL_KEY, call);
}

/** The call whose context is active (or given), if any. */
export function getCallState(ctx: Context = context.active()): CallState | undefined {
  return ctx.getValue(CALL_KEY) as CallState | undefined;
}
