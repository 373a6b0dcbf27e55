import { diag } from '@opentelemetry/api';

/**
 * Telemetry must never break the call: every entry point from host code (SDK hooks,
 * processors, user hooks) runs through these wrappers.
 */

const logger = diag.createComponentLogger({ namespace: 'calltrace' });

/** Run `fn`; on a throw, log once at debug level and return `fallback`. */
export function safely<T>(where: string, fn: () => T, fallback: T): T;
export function safely<T>(where: string, fn: () => T): T | undefined;
export function safely<T>(where: string, fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch (error) {
    logger.debug(`${where} failed`, error);
    return fallback;
  }
}

/** Counts what a bound dropped; warns on the first drop and then only on `report()`. */
export class DropCounter {
  #count = 0;
  #reported = 0;
  constructor(private readonly what: string) {}

  get count(): number {
    return this.#count;
  }

  add(n = 1): void {
    if (this.#count === 0) logger.warn(`${this.what}: limit reached, dropping (reported once)`);
    this.#count += n;
  }

  /** Logs the total dropped since the last report, if any. */
  report(): void {
    if (this.#count > this.#reported) {
      logger.warn(`${this.what}: ${this.#count - this.#reported} dropped`);
      this.#reported = this.#count;
    }
  }
}

export const calltraceLogger = logger;
