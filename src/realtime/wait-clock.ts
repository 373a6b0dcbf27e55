import { Exchange, type Turn } from './turn.js';

/**
 * The caller's wait, per exchange: from the end of their speech to the agent's first audio,
 * with the wall time our tools ran inside it (parallel tools counted once).
 */
export class WaitClock {
  #exchange: Exchange | undefined;
  #activeTools = 0;
  #busySince = 0;

  speechStopped(at: number): void {
    this.#exchange = new Exchange(at);
  }

  /** The exchange a turn starting now answers, while the caller is still waiting. */
  waiting(): Exchange | undefined {
    const e = this.#exchange;
    return e && !e.firstAudioAt ? e : undefined;
  }

  toolStarted(at: number): void {
    if (this.#activeTools++ === 0) this.#busySince = at;
  }

  toolEnded(at: number): void {
    if (this.#activeTools === 0) return;
    if (--this.#activeTools === 0) this.waiting()?.addToolTime(at - this.#busySince);
  }

  /** A turn's first audio: stops its exchange's clock if it is the answer. */
  firstAudio(turn: Turn, at: number): void {
    turn.firstAudioAt = at;
    const exchange = turn.exchange;
    if (exchange && !exchange.firstAudioAt) {
      if (this.#activeTools > 0) {
        exchange.addToolTime(at - this.#busySince);
        this.#busySince = at;
      }
      exchange.firstAudioAt = at;
    }
    turn.toolMsAtFirstAudio = exchange ? exchange.toolMs : 0;
  }
}
