import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Makes sure dist/ is built and current (tests of the packed package need it): runs
 * scripts/build-if-stale.mjs under a lock, so parallel test files build once. Throws if the
 * build fails — a broken build fails the run, it never skips it.
 */
export function ensureBuilt(): void {
  execFileSync(
    'flock',
    ['node_modules/.calltrace-build.lock', process.execPath, 'scripts/build-if-stale.mjs'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 },
  );
}
