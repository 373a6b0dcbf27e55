import type { Span } from '@opentelemetry/api';
import { CallAttr } from './attributes.js';

/**
 * What calltrace knows about one live call. Shared by every span of the call (through the
 * OTel context) so that the root span can carry the call's totals when it ends: one span
 * is then enough for a sampling decision.
 */
export class CallState {
  toolCalls = 0;
  toolErrors = 0;
  ended = false;
  /** The first Agents SDK trace of the call takes `trace_<our trace id>`; later ones get fresh ids. */
  openaiTraceIdClaimed = false;

  constructor(
    readonly callId: string,
    readonly rootSpan: Span,
    readonly traceId: string,
  ) {}

  recordToolCall(failed: boolean): void {
    this.toolCalls++;
    if (failed) this.toolErrors++;
  }

  /** Totals written on the root span when the call ends. */
  summaryAttributes(): Record<string, number> {
    return { [CallAttr.toolCalls]: this.toolCalls, [CallAttr.toolErrors]: this.toolErrors };
  }
}
