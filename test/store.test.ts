import { createHmac } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CallIndexConfigError,
  CallIndexInputError,
  createCallIndex,
  type CallIndex,
  type CallIndexOptions,
} from '../src/store/index.js';
import { hasService, SERVICES } from './helpers/services.js';

/**
 * One suite, two backends: the embedded PGlite default and the real PostgreSQL server
 * (a unique schema per run, dropped afterwards).
 */
const KEY = 'test-key-0123456789abcdef';
const RUN = `${process.pid}_${Date.now()}`;
const pgUp = await hasService('postgres');
const lite = await PGlite.create();
afterAll(() => lite.close());

interface Backend {
  name: string;
  skip: boolean;
  /** Options for a fresh index; `tag` makes schema / data dir unique. */
  options(tag: string): CallIndexOptions;
  /** Raw rows of the calls table, read around the index (after it is closed for PGlite). */
  raw(tag: string, sql: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

const schemas: string[] = [];
const backends: Backend[] = [
  {
    name: 'PGlite',
    skip: false,
    // One in-memory PGlite shared by the suite's indexes, a schema per tag (like PostgreSQL).
    options: (tag) => ({ pglite: lite, schema: `ct_store_${tag}`, hashKey: KEY }),
    raw: async (tag, sql) =>
      (await lite.query<Record<string, unknown>>(sql.replaceAll('$schema', `ct_store_${tag}`)))
        .rows,
    cleanup: async () => undefined,
  },
  {
    name: 'PostgreSQL',
    skip: !pgUp,
    options(tag) {
      const schema = `ct_store_${tag}_${RUN}`;
      schemas.push(schema);
      return { databaseUrl: SERVICES.postgres, schema, hashKey: KEY };
    },
    async raw(tag, sql) {
      const client = new pg.Client(SERVICES.postgres);
      await client.connect();
      try {
        const r: any = await client.query(sql.replaceAll('$schema', `ct_store_${tag}_${RUN}`));
        return (Array.isArray(r) ? r.at(-1) : r).rows; // a multi-statement query answers per statement
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      const client = new pg.Client(SERVICES.postgres);
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
    },
  },
];

const hmac = (e164: string, key = KEY) => createHmac('sha256', key).update(e164).digest('hex');
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

for (const backend of backends) {
  describe.skipIf(backend.skip)(`call index on ${backend.name}`, () => {
    let index: CallIndex;
    beforeAll(async () => {
      index = createCallIndex({
        ...backend.options('main'),
        traceUrlTemplate: 'http://localhost:16686/trace/{traceId}?from={startMs}',
      });
      await index.ready();
      index.record({
        callId: 'call-a',
        traceId: 'a'.repeat(32),
        from: '+1 (555) 010-0100',
        to: '+1 555 010 9999',
        provider: 'twilio',
        providerCallId: 'CA0001',
        openaiSessionId: 'sess_0001',
        startedAt: minutesAgo(30),
        endedAt: minutesAgo(28),
        status: 'completed',
        firstAudioMaxMs: 820,
        firstAudioP50Ms: 610,
      });
      index.record({
        callId: 'call-b',
        traceId: 'b'.repeat(32),
        from: '5550100100',
        startedAt: minutesAgo(10),
      });
      index.record({
        callId: 'call-c',
        traceId: 'c'.repeat(32),
        from: '+44 20 7946 0000',
        startedAt: minutesAgo(5),
      });
      expect(await index.flush()).toBe(true);
    });
    afterAll(async () => {
      await index?.close();
      await backend.cleanup();
    });

    it('finds a call by its number in any common format, newest first', async () => {
      for (const q of [
        '+1 (555) 010-0100',
        '555-010-0100',
        '555.010.0100',
        'tel:+1-555-010-0100',
        '001 555 010 0100',
        '15550100100',
      ]) {
        const calls = await index.lookupByNumber(q);
        expect(
          calls.map((c) => c.callId),
          q,
        ).toEqual(['call-b', 'call-a']);
      }
    });

    it('finds calls by the callee number too', async () => {
      expect((await index.lookupByNumber('(555) 010-9999')).map((c) => c.callId)).toEqual([
        'call-a',
      ]);
    });

    it('returns every recorded field, with duration and a trace link from the template', async () => {
      const [a] = await index.lookupByCallId('call-a');
      expect(a).toMatchObject({
        callId: 'call-a',
        traceId: 'a'.repeat(32),
        provider: 'twilio',
        providerCallId: 'CA0001',
        openaiSessionId: 'sess_0001',
        callerLast4: '0100',
        calleeLast4: '9999',
        status: 'completed',
        firstAudioMaxMs: 820,
        firstAudioP50Ms: 610,
        error: false,
      });
      expect(a!.durationMs).toBeCloseTo(120_000, -2);
      expect(a!.traceUrl).toBe(
        `http://localhost:16686/trace/${'a'.repeat(32)}?from=${a!.startedAt!.getTime()}`,
      );
    });

    it('finds a call by our call id, the provider id, the OpenAI session id and the trace id', async () => {
      for (const q of ['call-a', 'CA0001', 'sess_0001', 'a'.repeat(32), 'A'.repeat(32)])
        expect(
          (await index.lookup(q)).map((c) => c.callId),
          q,
        ).toEqual(['call-a']);
      expect((await index.lookupByTraceId('c'.repeat(32)))[0]!.callId).toBe('call-c');
    });

    it('keeps numbers only as a keyed hash and the last four digits', async () => {
      const tag = 'raw';
      const own = createCallIndex(backend.options(tag));
      own.record({ callId: 'raw-1', from: '+1 (555) 010-0100', to: '+15550109999' });
      await own.close(); // no flush: close writes what is still queued
      const [row] = await backend.raw(tag, `SELECT * FROM $schema.calls`);
      expect(row).toMatchObject({
        caller_hash: hmac('+15550100100'),
        caller_last4: '0100',
        callee_hash: hmac('+15550109999'),
        callee_last4: '9999',
      });
      expect(JSON.stringify(row)).not.toMatch(/5550100100|5550109999/);
    });

    it('does not find a number with a different key', async () => {
      const other = createCallIndex({
        ...backend.options('other'),
        hashKey: 'another-key-0123456789',
      });
      other.record({ callId: 'k-1', from: '+15550100100' });
      await other.flush();
      expect(await other.lookupByNumber('+15550100100')).toHaveLength(1);
      await other.close();
      const [row] = await backend.raw('other', `SELECT caller_hash FROM $schema.calls`);
      expect(row!.caller_hash).not.toBe(hmac('+15550100100'));
    });

    it('upserts by call id: repeated and partial updates merge into one row', async () => {
      const update = {
        callId: 'call-u',
        traceId: 'd'.repeat(32),
        from: '+15550100200',
        startedAt: minutesAgo(3),
        status: 'in-progress',
      };
      index.record(update);
      await index.flush();
      index.record(update);
      index.record({ callId: 'call-u', endedAt: minutesAgo(1), status: 'no-answer', error: true });
      await index.flush();
      index.record({ callId: 'call-u', status: 'in-progress', error: false }); // a late, stale start
      await index.flush();
      const found = await index.lookupByNumber('+15550100200');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        callId: 'call-u',
        traceId: 'd'.repeat(32),
        status: 'no-answer',
        error: true,
      });
    });

    it('limits results and keeps the newest', async () => {
      for (let i = 0; i < 5; i++)
        index.record({ callId: `lim-${i}`, from: '+15550100300', startedAt: minutesAgo(10 - i) });
      await index.flush();
      const found = await index.lookupByNumber('+15550100300', { limit: 2 });
      expect(found.map((c) => c.callId)).toEqual(['lim-4', 'lim-3']);
    });

    it('rejects what is not a phone number with a clear error', async () => {
      for (const q of [
        'hello',
        '+1 555 010 0100; DROP TABLE calls',
        '12',
        '+1'.padEnd(80, '5'),
        '',
      ])
        await expect(index.lookupByNumber(q), q).rejects.toBeInstanceOf(CallIndexInputError);
      await expect(index.lookupByTraceId('not-a-trace')).rejects.toThrow(/32 hex/);
      await expect(index.lookup('x'.repeat(10_000))).rejects.toThrow(/longer than 256/);
      await expect(index.lookup('call-a', { limit: -1 })).rejects.toBeInstanceOf(
        CallIndexInputError,
      );
    });

    it('treats SQL metacharacters as data, never as SQL', async () => {
      const hostile = `x'); DROP TABLE calls; --`;
      index.record({
        callId: hostile,
        traceId: 'e'.repeat(32),
        provider: `' OR 1=1 --`,
        startedAt: new Date(),
      });
      await index.flush();
      const found = await index.lookup(hostile);
      expect(found.map((c) => [c.callId, c.provider])).toEqual([[hostile, `' OR 1=1 --`]]);
      expect(await index.lookup(`' OR '1'='1`)).toEqual([]);
      expect((await index.lookupByCallId('call-a')).length).toBe(1); // the table is still there
    });

    it('ignores bad updates without throwing and keeps the good fields', async () => {
      expect(() => index.record({ callId: '' })).not.toThrow();
      expect(() => index.record(null as never)).not.toThrow();
      index.record({
        callId: 'bad-fields',
        from: 'not a number',
        traceId: 'z'.repeat(10_000),
        startedAt: new Date('nope'),
      });
      await index.flush();
      const [row] = await index.lookupByCallId('bad-fields');
      expect(row).toMatchObject({
        callId: 'bad-fields',
        callerLast4: null,
        traceId: null,
        startedAt: null,
      });
    });

    it('migrates once: reopening the schema keeps the data and the version', async () => {
      const again = createCallIndex(backend.options('main'));
      await again.ready();
      expect((await again.lookupByCallId('call-a')).length).toBe(1);
      await again.close();
      const versions = await backend.raw(
        'main',
        `SELECT version FROM $schema.calltrace_migrations`,
      );
      expect(versions).toEqual([{ version: 1 }]);
    });
  });
}

describe.skipIf(!pgUp)('call index on PostgreSQL: indexes', () => {
  it('looks numbers up through the (hash, started_at) indexes', async () => {
    const index = createCallIndex(backends[1]!.options('plan'));
    await index.ready();
    await index.close();
    const plan = await backends[1]!.raw(
      'plan',
      `SET enable_seqscan = off; EXPLAIN SELECT * FROM $schema.calls WHERE caller_hash = 'x' ORDER BY started_at DESC LIMIT 50`,
    );
    expect(JSON.stringify(plan)).toContain('calls_caller_idx');
    await backends[1]!.cleanup();
  });
});

describe('call index keys', () => {
  it('refuses PostgreSQL without a key', () => {
    const saved = process.env.CALLTRACE_INDEX_KEY;
    delete process.env.CALLTRACE_INDEX_KEY;
    try {
      expect(() => createCallIndex({ databaseUrl: SERVICES.postgres })).toThrow(
        CallIndexConfigError,
      );
    } finally {
      if (saved !== undefined) process.env.CALLTRACE_INDEX_KEY = saved;
    }
  });

  it('refuses a short key and a schema name that is not an identifier', () => {
    expect(() => createCallIndex({ hashKey: 'short' })).toThrow(/shorter than 16/);
    expect(() => createCallIndex({ hashKey: KEY, schema: 'x; DROP SCHEMA public' })).toThrow(
      CallIndexConfigError,
    );
  });

  it('uses the public development key for the embedded store without a key', async () => {
    const saved = process.env.CALLTRACE_INDEX_KEY;
    delete process.env.CALLTRACE_INDEX_KEY;
    try {
      const index = createCallIndex({ pglite: lite, schema: 'ct_store_devkey' });
      index.record({ callId: 'dev-1', from: '+15550100100' });
      await index.close();
      const { rows } = await lite.query<{ caller_hash: string }>(
        'SELECT caller_hash FROM ct_store_devkey.calls',
      );
      expect(rows[0]!.caller_hash).toBe(
        hmac('+15550100100', 'calltrace-development-key-not-secret'),
      );
    } finally {
      if (saved !== undefined) process.env.CALLTRACE_INDEX_KEY = saved;
    }
  });
});
