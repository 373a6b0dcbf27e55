import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { SKIPS_FILE } from './skip-file.js';

/**
 * Every test that skips says why, so a green run is never silently partial: the reason is
 * printed now and appended to the skips file, which the run's last line (skip-reporter.ts)
 * and .ci/summary.mjs read.
 */

/** The test file that called us, from the stack (helpers are not test files). */
function callerTestFile(): string {
  const stack = new Error().stack ?? '';
  const match = stack.match(/(\/[^\s():]*\.test\.ts)/);
  return match?.[1] ? relative(process.cwd(), match[1]) : 'unknown test file';
}

/** Records why the calling test file skips some of its tests (and prints it). */
export function recordSkip(reason: string): void {
  const file = callerTestFile();
  console.warn(`[skip] ${reason}`);
  try {
    appendFileSync(SKIPS_FILE, JSON.stringify({ file, reason }) + '\n');
  } catch {
    // The notice above still says it; the summary will report the file as unexplained.
  }
}

/**
 * Returns `available`. When it is false: under CI=true it throws (a missing service or browser
 * fails the run), otherwise it records `reason` and the caller skips.
 */
export function skipUnless(available: boolean, reason: string): boolean {
  if (available) return true;
  if (process.env.CI === 'true') throw new Error(`${reason} (required under CI=true)`);
  recordSkip(reason);
  return false;
}
