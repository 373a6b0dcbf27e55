import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallIndex } from '../src/store/index.js';
import { hasService, SERVICES } from './helpers/services.js';
import { ensureBuilt } from './helpers/build.js';

/**
 * `calltrace lookup`: in development through tsx, and from the built package (dist/cli.js)
 * when it has been built. The embedded index is `.calltrace/index` under the current directory.
 */
const ROOT = resolve('.');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/cli/main.ts');
const DIST = join(ROOT, 'dist/cli.js');
const KEY = 'cli-key-0123456789abcdef';
const cwd = mkdtempSync(join(tmpdir(), 'calltrace-cli-'));
const pgUp = await hasService('postgres');
const schema = `ct_cli_${process.pid}_${Date.now()}`;

const run = (args: string[], env: Record<string, string> = {}, bin: 'tsx' | 'dist' = 'tsx') => {
  const [cmd, pre] = bin === 'tsx' ? [TSX, [MAIN]] : [process.execPath, [DIST]];
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, CALLTRACE_INDEX_KEY: KEY, CALLTRACE_DATABASE_URL: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const seed = async (options: Parameters<typeof createCallIndex>[0]) => {
  const index = createCallIndex({ hashKey: KEY, ...options });
  index.record({
    callId: 'cli-old',
    traceId: '1'.repeat(32),
    from: '+15550100100',
    to: '+15550109999',
    startedAt: new Date('2026-11-26T10:00:00Z'),
    endedAt: new Date('2026-11-26T10:02:00Z'),
    status: 'completed',
    firstAudioMaxMs: 730,
  });
  index.record({
    callId: 'evil\u001b[2J\u001b]0;pwned\u0007id',
    from: '+15550100999',
    status: 'ok\u001b[31m',
    startedAt: new Date('2026-11-25T09:00:00Z'),
  });
  index.record({
    callId: 'cli-new',
    traceId: '2'.repeat(32),
    from: '+15550100100',
    startedAt: new Date('2026-11-27T09:00:00Z'),
    status: 'in-progress',
  });
  await index.flush();
  await index.close();
};

beforeAll(() => seed({ dataDir: join(cwd, '.calltrace/index') }), 120_000);
afterAll(async () => {
  rmSync(cwd, { recursive: true, force: true });
  if (pgUp) {
    const client = new pg.Client(SERVICES.postgres);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
});

describe('calltrace lookup (tsx)', () => {
  it('prints the calls of a number from the embedded index in the current directory, newest first', () => {
    const { code, out } = run([
      'lookup',
      '+1 (555) 010-0100',
      '--trace-url',
      'http://localhost:16686/trace/{traceId}',
    ]);
    expect(code).toBe(0);
    expect(out.indexOf('cli-new')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('cli-new')).toBeLessThan(out.indexOf('cli-old'));
    expect(out).toContain(
      '2026-11-26 10:00:00 UTC  cli-old  completed  2 min 0 s  first audio ≤ 730 ms',
    );
    expect(out).toContain(`link     http://localhost:16686/trace/${'1'.repeat(32)}`);
    expect(out).not.toContain('5550100100');
  });

  it('prints JSON with --json', () => {
    const { code, out } = run(['lookup', '555-010-0100', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).map((c: { callId: string }) => c.callId)).toEqual([
      'cli-new',
      'cli-old',
    ]);
  });

  it('says so when nothing matches, and how it read the query', () => {
    expect(run(['lookup', '+44 20 7946 0000']).out).toBe('No calls found for this phone number.\n');
    expect(run(['lookup', 'CA-unknown']).out).toBe('No calls found for this call id.\n');
  });

  it('says when a query is not a parseable number and no call has that id', () => {
    const r = run(['lookup', '+1 555']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^calltrace: not a phone number: .*; and no call has this id\n$/);
    expect(r.out).toBe('');
  });

  it('prints ids and statuses with terminal control characters escaped', () => {
    const { code, out } = run(['lookup', '+15550100999']);
    expect(code).toBe(0);
    // eslint-disable-next-line no-control-regex -- asserting none reach the terminal
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07id');
    expect(out).toContain('ok\\x1b[31m');
  });

  it('says there is no index, and creates none, when the embedded index does not exist', () => {
    const r = run(['lookup', '+15550100100', '--data-dir', 'nowhere/index']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('calltrace: no call index at nowhere/index');
    expect(existsSync(join(cwd, 'nowhere'))).toBe(false);
  });

  it.skipIf(!pgUp)(
    'says there is no index, and creates no schema, on an empty PostgreSQL database',
    async () => {
      const empty = `ct_cli_empty_${process.pid}_${Date.now()}`;
      const r = run([
        'lookup',
        '+15550100100',
        '--database-url',
        SERVICES.postgres,
        '--schema',
        empty,
      ]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`calltrace: no call index in schema "${empty}" of that database`);
      const client = new pg.Client(SERVICES.postgres);
      await client.connect();
      const { rows } = await client.query(
        'SELECT 1 FROM information_schema.schemata WHERE schema_name = $1',
        [empty],
      );
      await client.end();
      expect(rows).toEqual([]);
    },
  );

  it('serves the lookup page with `calltrace serve`', async () => {
    const child = spawn(TSX, [MAIN, 'serve', '--port', '0'], {
      cwd,
      env: { ...process.env, CALLTRACE_INDEX_KEY: KEY, CALLTRACE_DATABASE_URL: '' },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Lookup page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
      });
      const res = await fetch(`${url}?q=${encodeURIComponent('+1 (555) 010-0100')}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('data-call-id="cli-old"');
      expect(html).toContain('2 calls for this phone number');
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  it('exits 2 with a clear message on bad input and unknown commands', () => {
    const long = run(['lookup', 'x'.repeat(300)]);
    expect(long.code).toBe(2);
    expect(long.err).toContain('calltrace: query longer than 256 characters');
    const usage = run(['find', '+15550100100']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: calltrace lookup');
    expect(run(['lookup', '1', '--limit', 'many']).err).toContain(
      'limit must be a positive integer',
    );
  });

  it.skipIf(!pgUp)('reads a PostgreSQL index with --database-url', async () => {
    await seed({ databaseUrl: SERVICES.postgres, schema });
    const { code, out } = run([
      'lookup',
      '+15550100100',
      '--database-url',
      SERVICES.postgres,
      '--schema',
      schema,
    ]);
    expect(code).toBe(0);
    expect(out).toContain('cli-old');
  });

  it('refuses PostgreSQL without a key', () => {
    const r = run(['lookup', '+15550100100', '--database-url', SERVICES.postgres], {
      CALLTRACE_INDEX_KEY: '',
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('no key to protect phone numbers');
  });
});

describe('calltrace lookup (built dist/cli.js)', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('prints the calls of a number', () => {
    const { code, out } = run(['lookup', '+1 (555) 010-0100'], {}, 'dist');
    expect(code).toBe(0);
    expect(out).toContain('cli-old');
  });
});
