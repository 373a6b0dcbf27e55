import { safely } from '../safe.js';

interface Answerable {
  answerEndsAt(): number | undefined;
  tick(at: number): void;
}

/**
 * Ends an exchange whose answer is done once its audio has played out, not at the next turn:
 * a long silence (or a crashed process) must not keep a finished turn unexported. One timer
 * per session, unref'd, replaced on every check.
 */
export class AnswerTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeline: Answerable,
    private readonly now: () => number,
  ) {}

  check(): void {
    const end = this.timeline.answerEndsAt();
    if (end === undefined) return;
    const at = this.now();
    if (end <= at) return this.timeline.tick(at);
    this.cancel();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        safely('realtime answer end', () => this.check());
      },
      Math.ceil(end - at) + 1,
    );
    this.#timer.unref?.();
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
