import { calltraceLogger } from './safe.js';

/**
 * Configuration problems a user must see (a public dev key, a missing optional peer, a
 * query that is not a phone number) go to stderr once per process, not only to OTel's
 * `diag`, which is silent unless the app registers a logger. Set
 * `CALLTRACE_SILENT=1` to keep stderr quiet (the message still goes to `diag`).
 */

const printed = new Set<string>();
/** Bounded so a hostile input that varies the key cannot grow the set without limit. */
const MAX_KEYS = 256;

/** Prints `calltrace: <message>` to stderr the first time `key` is seen; never throws. */
export function noticeOnce(key: string, message: string): void {
  try {
    if (printed.has(key) || printed.size >= MAX_KEYS) return;
    printed.add(key);
    calltraceLogger.warn(message);
    const env = typeof process === 'undefined' ? undefined : process.env;
    if (env?.CALLTRACE_SILENT === '1') return;
    if (typeof process !== 'undefined' && process.stderr?.write) {
      process.stderr.write(`calltrace: ${message}\n`);
    } else if (typeof console !== 'undefined') {
      // eslint-disable-next-line no-console -- runtimes without process.stderr (workers)
      console.warn(`calltrace: ${message}`);
    }
  } catch {
    // Telemetry never breaks the host, not even its warnings.
  }
}

/** For tests: forget what was printed. */
export function resetNoticesForTests(): void {
  printed.clear();
}
