import { fileURLToPath } from 'node:url';

/**
 * Where skip reasons go for this run (one JSON object a line: { file, reason }).
 * CALLTRACE_SKIPS_FILE lets .ci/run keep one file per Node version.
 */
export const SKIPS_FILE =
  process.env.CALLTRACE_SKIPS_FILE ??
  fileURLToPath(new URL('../../.vitest-skips.jsonl', import.meta.url));
