import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCall } from '../src/call.js';
import { createCallIndex } from '../src/store/index.js';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { skipUnless } from './helpers/skip.js';

/**
 * A PostgreSQL of the test's own (initdb + pg_ctl as user postgres, free port, temp dir) is
 * stopped in the middle of a run of calls and started again: every call must be in the index.
 */
const pgBin = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql')
      .map((v) => `/usr/lib/postgresql/${v}/bin`)
      .find((dir) => existsSync(`${dir}/initdb`))
  : undefined;
skipUnless(Boolean(pgBin), 'initdb not found (PostgreSQL server binaries)');

const asPostgres = (cmd: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', `${pgBin}/${cmd}`, ...args], {
    stdio: 'pipe',
    timeout: 60_000,
  });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

describe.skipIf(!pgBin)('call index while its PostgreSQL goes away', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrace-pg-'));
  const data = join(dir, 'data');
  let port = 0;
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
  const stop = () => asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);

  beforeAll(async () => {
    chmodSync(dir, 0o777);
    port = await freePort();
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    start();
  }, 60_000);
  afterAll(async () => {
    try {
      stop();
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every call once the database is back', async () => {
    const index = createCallIndex({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      hashKey: 'durability-key-0123456789',
      flushIntervalMs: 10,
      maxRetryDelayMs: 200,
    });
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [index.spanProcessor] });
    await index.ready();
    const runCalls = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const call = startCall({ callId: `dur-${i}`, to: '+15550109999', tracerProvider });
        index.track(call, { from: `+1555010${String(i).padStart(4, '0')}` });
        call.end();
      }
    };
    runCalls(0, 50);
    await index.flush();
    stop();
    const before = performance.now();
    runCalls(50, 150); // while the database is down
    expect(performance.now() - before).toBeLessThan(1_000); // the calls did not wait for it
    expect(await index.flush(500)).toBe(false);
    expect(index.queued).toBe(100);
    start();
    expect(await index.flush(20_000)).toBe(true);
    runCalls(150, 200);
    expect(await index.flush()).toBe(true);
    const found = await index.lookupByNumber('+15550109999', { limit: 500 });
    expect(found).toHaveLength(200);
    expect(found.every((c) => c.status === 'completed' && c.endedAt)).toBe(true);
    expect((await index.lookupByNumber('+15550100123'))[0]!.callId).toBe('dur-123');
    expect(index.dropped).toBe(0);
    await tracerProvider.shutdown(); // closes the index
  }, 60_000);
});
