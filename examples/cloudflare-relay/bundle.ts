/**
 * Bundles the Worker for workerd the way wrangler does: `workerd`/`worker`/`browser` export
 * conditions, Node built-ins left external (`nodejs_compat` provides them). In memory: for
 * Miniflare in `local.ts` and the repo's test; `wrangler deploy` bundles by itself.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function bundleWorker(
  entry = fileURLToPath(new URL('./worker.ts', import.meta.url)),
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: [...builtinModules.flatMap((m) => [m, `node:${m}`]), 'cloudflare:*'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
