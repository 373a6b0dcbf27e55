// Builds dist/ when it is missing or older than its sources: `npm test` on a fresh clone
// builds what its tests need by itself. Tests call it under a lock (test/helpers/build.ts).
//   node scripts/build-if-stale.mjs   → prints "dist/ is up to date" or runs `npm run build`
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'adapters', 'package.json', 'tsup.config.ts', 'scripts/entries.mjs'];
const OUTPUTS = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/cli.js'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function distIsStale() {
  if (!OUTPUTS.every((f) => existsSync(f))) return 'dist/ is missing';
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  const changed = SOURCES.filter((s) => existsSync(s) && newestMtime(s) > built);
  return changed.length ? `dist/ is older than ${changed.join(', ')}` : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const why = distIsStale();
  if (!why) {
    console.log('dist/ is up to date');
  } else {
    console.log(`${why}: npm run build`);
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
}
