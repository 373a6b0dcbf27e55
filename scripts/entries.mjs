// The package's public entry points, discovered from the tree so that adding an adapter is
// adding a folder: `src/index.ts` is `calltrace`, `src/<name>/index.ts` (listed below) and
// `adapters/<name>/index.ts` are `calltrace/<name>`.
import { existsSync, readdirSync } from 'node:fs';

/** Folders under src/ that are public subpaths (the rest are internal). */
export const SRC_SUBPATHS = ['testing', 'store', 'sampler', 'webrtc', 'webrtc-server', 'edge'];

/** Executables built alongside the entries but not exported: package.json "bin". */
export const BIN_ENTRIES = { cli: 'src/cli/main.ts' };

export function discoverEntries(root = '.') {
  const entries = { index: 'src/index.ts' };
  for (const name of SRC_SUBPATHS) {
    if (existsSync(`${root}/src/${name}/index.ts`)) entries[name] = `src/${name}/index.ts`;
  }
  if (existsSync(`${root}/adapters`)) {
    for (const name of readdirSync(`${root}/adapters`).sort()) {
      if (existsSync(`${root}/adapters/${name}/index.ts`))
        entries[name] = `adapters/${name}/index.ts`;
    }
  }
  return entries;
}
