import type { CallHandle } from './call.js';
import { DropCounter } from './safe.js';

export interface CallRegistryOptions {
  /** Most live calls held; the oldest is forgotten (not ended) past it. Default: 10,000. */
  maxCalls?: number;
}

/**
 * Live calls by a key (Twilio CallSid, OpenAI `rtc_…` id), so the request that carries the
 * media — a Twilio Media Stream, a Realtime sideband socket — can find the call the webhook
 * opened. A call leaves when it ends. Bounded.
 */
export class CallRegistry {
  readonly #calls = new Map<string, CallHandle>();
  readonly #max: number;
  readonly #evicted = new DropCounter('calltrace: call registry');

  constructor(options: CallRegistryOptions = {}) {
    this.#max = options.maxCalls && options.maxCalls > 0 ? options.maxCalls : 10_000;
  }

  set(key: string, call: CallHandle): void {
    if (!key || call.ended) return;
    this.#calls.delete(key);
    this.#calls.set(key, call);
    call.state.onEnd(() => {
      if (this.#calls.get(key) === call) this.#calls.delete(key);
    });
    if (this.#calls.size > this.#max) {
      this.#calls.delete(this.#calls.keys().next().value!);
      this.#evicted.add();
    }
  }

  get(key: string | undefined): CallHandle | undefined {
    return key ? this.#calls.get(key) : undefined;
  }

  get size(): number {
    return this.#calls.size;
  }
}
