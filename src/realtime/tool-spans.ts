import type { Context, Span } from '@opentelemetry/api';
import { DropCounter } from '../safe.js';

/** A Realtime tool call's span while the tool runs. */
export interface RealtimeToolSpan {
  span: Span;
  context: Context;
  startedAt: number;
  /** Set by the invoke wrapper when the tool rejects or returns the SDK's error text. */
  failed: boolean;
}

/**
 * Realtime tool spans by tool call id, so the tool-invoke wrapper (which only sees the call
 * id) can make the right span active. Tools may be shared by many sessions; call ids are
 * unique. Bounded: a tool that never ends cannot grow this past `max`.
 */
export class RealtimeToolSpans {
  readonly #byCallId = new Map<string, RealtimeToolSpan>();
  readonly #dropped = new DropCounter('calltrace: open Realtime tool spans');

  constructor(private readonly max = 1024) {}

  add(callId: string, entry: RealtimeToolSpan): boolean {
    if (this.#byCallId.size >= this.max) {
      this.#dropped.add();
      return false;
    }
    this.#byCallId.set(callId, entry);
    return true;
  }

  get(callId: unknown): RealtimeToolSpan | undefined {
    return typeof callId === 'string' ? this.#byCallId.get(callId) : undefined;
  }

  take(callId: unknown): RealtimeToolSpan | undefined {
    const entry = this.get(callId);
    if (entry) this.#byCallId.delete(callId as string);
    return entry;
  }

  get size(): number {
    return this.#byCallId.size;
  }
}

/** What the SDK's `tool()` returns to the model when a tool throws (default error function). */
const SDK_DEFAULT_TOOL_ERROR = 'An error occurred while running the tool.';

export function isSdkToolErrorText(result: unknown): boolean {
  return typeof result === 'string' && result.startsWith(SDK_DEFAULT_TOOL_ERROR);
}
