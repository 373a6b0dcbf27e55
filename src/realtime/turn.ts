import type { Context, Span } from '@opentelemetry/api';

/**
 * One exchange: the caller stops speaking, then waits until the agent's first audio. Tool
 * time inside it is ours; the rest of the wait is the model's.
 */
export class Exchange {
  /** performance.now() of the first agent audio answering this speech; 0 until then. */
  firstAudioAt = 0;
  /** Wall time in which at least one of our tools was running, ms. */
  toolMs = 0;
  constructor(readonly speechStoppedAt: number) {}

  addToolTime(ms: number): void {
    if (ms > 0) this.toolMs += ms;
  }
}

/** One Realtime response (`response.created` → `response.done`) and its span. */
export class Turn {
  firstAudioAt = 0;
  /** Base64 characters of agent audio received: with the output format, how long it plays. */
  audioChars = 0;
  firstAudioSentAt = 0;
  /** Interrupted while its response was still streaming: ends as `interrupted`. */
  interrupted = false;
  /** The caller cut into this turn's audio (counted once, even after the response ended). */
  bargedIn = false;
  /** Exchange tool time when this turn's first audio arrived (or when it ended). */
  toolMsAtFirstAudio = -1;
  ended = false;

  constructor(
    readonly responseId: string,
    readonly span: Span,
    readonly context: Context,
    readonly createdAt: number,
    /** The exchange this turn answers, when it started before that exchange got audio. */
    readonly exchange: Exchange | undefined,
  ) {}
}
