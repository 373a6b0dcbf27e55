/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so one suite's warm JIT or
 * heap does not colour another's) and prints their figures. `npm run bench -- name` runs the
 * suites whose file name contains `name`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

let failed = 0;
for (const suite of suites) {
  console.log(`\n== ${suite}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, suite)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
