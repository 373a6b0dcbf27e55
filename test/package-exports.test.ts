import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/build.js';
import { recordSkip } from './helpers/skip.js';

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

/** Package names a specifier loads: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

describe('what the built package loads', () => {
  it('every package dist/ imports at run time is a declared dependency or peer', () => {
    const declared = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const loaded = new Set<string>();
    for (const file of readdirSync('dist').filter((f) => /\.(c?js)$/.test(f))) {
      const code = readFileSync(`dist/${file}`, 'utf8');
      for (const m of code.matchAll(
        // A specifier is a package-like name with no spaces; `from` needs whitespace before the
        // quote so code such as `headers["from"]` is not read as an import.
        /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)['"]([@a-z][\w.@/-]*)['"]/gm,
      )) {
        const name = packageOf(m[1]!);
        if (!name.startsWith('node:') && !builtinModules.includes(name)) loaded.add(name);
      }
    }
    expect(loaded.size).toBeGreaterThan(3);
    expect([...loaded].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('every peer but @opentelemetry/api is optional', () => {
    const optional = Object.keys(pkg.peerDependenciesMeta ?? {}).filter(
      (k) => pkg.peerDependenciesMeta[k].optional,
    );
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(
      [...optional, '@opentelemetry/api'].sort(),
    );
  });
});

/**
 * The packed tarball in a fresh `npm init -y` project (CommonJS), as a new user gets it:
 * each entry typechecks with `skipLibCheck: false` when only the peers the README's import
 * table names for it are present (every other peer is made unresolvable for that check), the
 * quickstart runs, `npx calltrace lookup` finds its call, and a missing PGlite is named.
 * Heavy (an npm install): runs when CALLTRACE_PACK_TEST=1, which .ci/run does not set yet (never seen green on an idle machine).
 */
const ENTRY_PEERS: Record<string, string[]> = {
  calltrace: ['@openai/agents'],
  'calltrace/testing': ['@openai/agents', 'ws', '@types/ws'],
  'calltrace/store': ['@electric-sql/pglite'],
  'calltrace/sampler': ['@opentelemetry/sdk-trace-base'],
  'calltrace/express': ['express', '@types/express'],
  'calltrace/hono': ['hono'],
  'calltrace/bullmq': ['bullmq'],
  'calltrace/ws': ['ws', '@types/ws'],
  'calltrace/fetch': [],
  'calltrace/nats': [],
  'calltrace/twilio': [],
  'calltrace/openai-sip': [],
  'calltrace/webrtc': [],
  'calltrace/webrtc-server': [],
  'calltrace/edge': [],
};
/** Module names made unresolvable unless the entry names them (covers types packages too). */
const BLOCKABLE: Record<string, string[]> = {
  '@openai/agents': ['@openai/agents', '@openai/agents-core', '@openai/agents-openai'],
  ws: ['ws'],
  '@electric-sql/pglite': ['@electric-sql/pglite'],
  '@opentelemetry/sdk-trace-base': ['@opentelemetry/sdk-trace-base'],
  express: ['express', 'express-serve-static-core'],
  hono: ['hono'],
  bullmq: ['bullmq', 'ioredis'],
  pg: ['pg'],
};
const QUICKSTART = [
  '@openai/agents',
  '@openai/agents-core',
  'zod',
  '@electric-sql/pglite',
  '@opentelemetry/api',
  '@opentelemetry/core',
  '@opentelemetry/context-async-hooks',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/exporter-trace-otlp-http',
];
const TOOLS = ['typescript', '@types/node', 'tsx'];
const OTHER_PEERS = [
  'ws',
  '@types/ws',
  'express',
  '@types/express',
  'hono',
  'bullmq',
  'pg',
  '@types/pg',
];
/** The repo's installed versions, so npm finds them in its cache. */
const pinned = (name: string) =>
  `${name}@${JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version}`;

const packTest = process.env.CALLTRACE_PACK_TEST === '1';
if (!packTest)
  recordSkip(
    'packed-package tests need CALLTRACE_PACK_TEST=1 (CI does not set it yet: see issue 15)',
  );

describe.skipIf(!packTest)('the packed package in a fresh npm init -y project', () => {
  let dir = '';
  const npm = (args: string[], cwd = dir) =>
    execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 600_000 });

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'calltrace-fresh-'));
    npm(['init', '-y']);
    const tarball = npm(['pack', '--silent', '--pack-destination', dir], process.cwd()).trim();
    const names = [...new Set([...QUICKSTART, ...TOOLS, ...OTHER_PEERS])];
    npm([
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(dir, tarball.split('\n').pop()!),
      ...names.map(pinned),
    ]);
    copyFileSync('examples/quickstart/quickstart.ts', join(dir, 'quickstart.ts'));
  }, 900_000);

  it('entries cover package.json exports', () => {
    expect(Object.keys(ENTRY_PEERS).sort()).toEqual(
      subpaths.map((s) => (s === '.' ? 'calltrace' : `calltrace/${s.slice(2)}`)).sort(),
    );
  });

  /** One tsc program per peer set (memoized): entries with the same peers are checked together. */
  const checked = new Map<string, ReturnType<typeof spawnSync>>();
  const typecheck = (specifiers: string[], peers: string[]) => {
    const key = `${peers.join(',')}|${specifiers.join(',')}`;
    const done = checked.get(key);
    if (done) return done;
    const blocked = Object.entries(BLOCKABLE)
      .filter(([peer]) => !peers.includes(peer))
      .flatMap(([, modules]) => modules);
    const files = specifiers.flatMap((specifier) => {
      const name = specifier.replace(/\W/g, '_');
      const source = `import * as m from '${specifier}';\nexport const keys = Object.keys(m);\n`;
      writeFileSync(join(dir, `${name}.cts`), source); // CommonJS: the "require" types
      writeFileSync(join(dir, `${name}.mts`), source); // ES module: the "import" types
      return [`${name}.cts`, `${name}.mts`];
    });
    const paths = Object.fromEntries(
      blocked.flatMap((b) => [
        [b, ['./not-installed']],
        [`${b}/*`, ['./not-installed']],
      ]),
    );
    const tsconfig = `tsconfig.${checked.size}.json`;
    writeFileSync(
      join(dir, tsconfig),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          types: ['node'],
          paths,
        },
        files,
      }),
    );
    const result = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', tsconfig],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    checked.set(key, result);
    return result;
  };

  for (const [specifier, peers] of Object.entries(ENTRY_PEERS)) {
    const samePeers = Object.keys(ENTRY_PEERS).filter(
      (s) => ENTRY_PEERS[s]!.join(',') === peers.join(','),
    );
    it(
      `${specifier} typechecks (skipLibCheck false) with only ${peers.join(', ') || 'no other peer'}`,
      { timeout: 600_000 },
      () => {
        const r = typecheck(samePeers, peers);
        expect(`${r.stdout}${r.stderr}`).toBe('');
        expect(r.status).toBe(0);
      },
    );
  }

  it(
    'the check can fail: calltrace/express without express types does not typecheck',
    { timeout: 300_000 },
    () => {
      const r = typecheck(['calltrace/express'], []);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain("'express'");
    },
  );

  it(
    'the quickstart runs in the CommonJS project and `npx calltrace lookup` finds its call',
    { timeout: 300_000 },
    () => {
      const env = { ...process.env, OPENAI_API_KEY: '', CALLTRACE_INDEX_KEY: '' };
      const quickstart = spawnSync(
        process.execPath,
        ['node_modules/tsx/dist/cli.mjs', 'quickstart.ts'],
        {
          cwd: dir,
          env,
          encoding: 'utf8',
          timeout: 300_000,
        },
      );
      expect(quickstart.stderr).not.toMatch(/Error/);
      expect(quickstart.status).toBe(0);
      expect(quickstart.stdout).toContain('execute_tool lookup_order');
      const lookup = spawnSync(
        'npx',
        ['--no-install', 'calltrace', 'lookup', '+1 (555) 010-0100'],
        {
          cwd: dir,
          env,
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(lookup.status).toBe(0);
      expect(lookup.stdout).toContain('CA-quickstart-1');
    },
  );

  it(
    'without @electric-sql/pglite, `npx calltrace lookup` names the package to install',
    { timeout: 120_000 },
    () => {
      const pglite = join(dir, 'node_modules/@electric-sql/pglite');
      renameSync(pglite, `${pglite}.off`);
      try {
        const r = spawnSync('npx', ['--no-install', 'calltrace', 'lookup', '+15550100100'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(r.status).toBe(2);
        expect(r.stderr).toContain('needs @electric-sql/pglite: npm i @electric-sql/pglite');
        expect(
          r.stderr
            .trim()
            .split('\n')
            .filter((l) => l.includes('pglite')),
        ).toHaveLength(1);
      } finally {
        renameSync(`${pglite}.off`, pglite);
      }
    },
  );
});
