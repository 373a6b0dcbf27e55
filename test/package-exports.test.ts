import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/build.js';

/**
 * The built package: every subpath export resolves in ESM and CJS, and importing it changes
 * nothing global (no OTel provider, no SDK trace processor, no process listener, no global).
 * The peers are loaded first: `@openai/agents-core` itself installs a global trace provider
 * and exit listeners when imported, and that is the SDK's doing, not ours.
 * dist/ is built first when it is missing or stale.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
ensureBuilt();

const probe = (load: string, mode: 'esm' | 'cjs') => `
const peers = ['@opentelemetry/api', '@openai/agents-core'];
Promise.all(peers.map((p) => ${mode === 'esm' ? 'import(p)' : 'require(p)'})).then(() => {
const before = {
  symbols: Object.getOwnPropertySymbols(globalThis).map(String).sort(),
  keys: Object.keys(globalThis).sort(),
  listeners: ['exit','beforeExit','SIGINT','SIGTERM','uncaughtException','unhandledRejection']
    .map((e) => process.listenerCount(e)),
};
Promise.resolve(${load}).then((mod) => {
  const after = {
    symbols: Object.getOwnPropertySymbols(globalThis).map(String).sort(),
    keys: Object.keys(globalThis).sort(),
    listeners: ['exit','beforeExit','SIGINT','SIGTERM','uncaughtException','unhandledRejection']
      .map((e) => process.listenerCount(e)),
  };
  console.log(JSON.stringify({ exports: Object.keys(mod).length, before, after }));
});
});`;

describe('package exports', () => {
  for (const subpath of subpaths) {
    const specifier = subpath === '.' ? 'calltrace' : `calltrace/${subpath.slice(2)}`;
    for (const mode of ['esm', 'cjs'] as const) {
      it(`${specifier} loads as ${mode} without side effects`, () => {
        const load = mode === 'esm' ? `import('${specifier}')` : `require('${specifier}')`;
        const out = execFileSync(process.execPath, ['-e', probe(load, mode)], { encoding: 'utf8' });
        const { exports, before, after } = JSON.parse(out.trim().split('\n').pop()!);
        expect(exports).toBeGreaterThan(0);
        expect(after).toEqual(before);
      });
    }
  }
});
