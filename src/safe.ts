import { diag } from '@opentelemetry/api';
import { recordDrop } from './metrics/record.js';
import { noticeOnce } from './notice.js';

/**
 * Telemetry must never break the call: every entry point from host code (SDK hooks,
 * processors, user hooks) runs through these wrappers. A fault (a throwing span processor,
 * tracer provider, exporter or user hook) is counted, logged at debug level each time and
 * printed once per process to stderr, so a broken pipeline is seen without flooding the log.
 */

const logger = diag.createComponentLogger({ namespace: 'calltrace' });

let faults = 0;

/** Counts a fault telemetry absorbed; says so once on stderr. Never throws. */
export function reportFault(where: string, error?: unknown): void {
  faults++;
  try {
    logger.debug(`${where} failed`, error);
    noticeOnce(
      'telemetry-fault',
      `telemetry failed in ${where} (${faultName(error)}); the call went on without it. ` +
        'Reported once; later faults are counted (diag debug).',
    );
  } catch {
    // nothing to do: the host comes first
  }
}

/** How many faults telemetry absorbed in this process (tests, health checks). */
export function telemetryFaults(): number {
  return faults;
}

function faultName(error: unknown): string {
  try {
    return error instanceof Error ? error.name || 'Error' : typeof error;
  } catch {
    return 'unknown';
  }
}

/** Run `fn`; on a throw, count the fault and return `fallback`. */
export function safely<T>(where: string, fn: () => T, fallback: T): T;
export function safely<T>(where: string, fn: () => T): T | undefined;
export function safely<T>(where: string, fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch (error) {
    reportFault(where, error);
    return fallback;
  }
}

/** Counts what a bound dropped; warns on the first drop and then only on `report()`. */
export class DropCounter {
  #count = 0;
  #reported = 0;
  /** The `calltrace.drop.kind` metric label: `what` as a slug (a code constant, so bounded). */
  readonly #kind: string;
  constructor(private readonly what: string) {
    this.#kind = dropKind(what);
  }

  get count(): number {
    return this.#count;
  }

  add(n = 1): void {
    if (this.#count === 0) logger.warn(`${this.what}: limit reached, dropping (reported once)`);
    this.#count += n;
    recordDrop(this.#kind, n);
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

/** `'calltrace tail sampler: spans of evicted traces'` → `'tail_sampler_spans_of_evicted_traces'`. */
export function dropKind(what: string): string {
  return what
    .replace(/^calltrace\b:?\s*/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}
