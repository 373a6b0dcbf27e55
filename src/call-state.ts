import type { Span } from '@opentelemetry/api';
import { CallAttr } from './attributes.js';

/** First-audio samples kept per call for the median; more are folded into max/count only. */
const MAX_LATENCY_SAMPLES = 1024;

/**
 * What calltrace knows about one live call. Shared by every span of the call (through the
 * OTel context) so that the root span can carry the call's totals when it ends: one span
 * is then enough for a sampling decision.
 */
export class CallState {
  toolCalls = 0;
  toolErrors = 0;
  turns = 0;
  bargeIns = 0;
  /** Server errors, failed turns, dropped connections. */
  errors = 0;
  ended = false;
  /** The first Agents SDK trace of the call takes `trace_<our trace id>`; later ones get fresh ids. */
  openaiTraceIdClaimed = false;
  readonly #firstAudioMs: number[] = [];
  #firstAudioMax = -1;
  #onEnd: Array<() => void> = [];

  constructor(
    readonly callId: string,
    readonly rootSpan: Span,
    readonly traceId: string,
  ) {}

  recordToolCall(failed: boolean): void {
    this.toolCalls++;
    if (failed) this.toolErrors++;
  }

  /** The caller's wait for one answer: end of their speech → first audio of the agent. */
  recordFirstAudio(ms: number): void {
    if (!(ms >= 0)) return;
    if (ms > this.#firstAudioMax) this.#firstAudioMax = ms;
    if (this.#firstAudioMs.length < MAX_LATENCY_SAMPLES) this.#firstAudioMs.push(ms);
  }

  /** Runs `fn` when the call ends (before its root span ends). Listeners are not kept after. */
  onEnd(fn: () => void): void {
    if (this.ended) return;
    this.#onEnd.push(fn);
  }

  /** Called once by `CallHandle.end`. */
  runEndListeners(): void {
    const listeners = this.#onEnd;
    this.#onEnd = [];
    for (const fn of listeners) {
      try {
        fn();
      } catch {
        // a listener's failure must not keep the call from ending
      }
    }
  }

  /** Totals written on the root span when the call ends. */
  summaryAttributes(): Record<string, number | string> {
    const attrs: Record<string, number | string> = {
      [CallAttr.toolCalls]: this.toolCalls,
      [CallAttr.toolErrors]: this.toolErrors,
      [CallAttr.turns]: this.turns,
      [CallAttr.bargeIns]: this.bargeIns,
      [CallAttr.errors]: this.errors,
    };
    if (this.#firstAudioMax >= 0) {
      attrs[CallAttr.firstAudioMaxMs] = round(this.#firstAudioMax);
      attrs[CallAttr.firstAudioP50Ms] = round(median(this.#firstAudioMs));
    }
    // The OpenAI dashboard trace this call claimed, so the lookup page can link to it.
    if (this.openaiTraceIdClaimed) attrs[CallAttr.openaiTraceId] = `trace_${this.traceId}`;
    return attrs;
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
