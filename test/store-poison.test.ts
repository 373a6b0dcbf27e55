import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resetNoticesForTests } from '../src/notice.js';
import {
  CALL_FIELDS,
  CallIndexConfigError,
  CallIndexInputError,
  createCallIndex,
  type CallIndexOptions,
} from '../src/store/index.js';
import { hasService, SERVICES } from './helpers/services.js';

/**
 * A row the database refuses must cost that row only: validated before it is queued, and a
 * row the database still refuses is isolated, dropped and counted while every other call is
 * written. Lookups never create anything. Both backends: PGlite and the real PostgreSQL.
 */
const KEY = 'poison-key-0123456789abcdef';
const RUN = `${process.pid}_${Date.now()}`;
const pgUp = await hasService('postgres');
const lite = await PGlite.create();
const schemas: string[] = [];

async function pgQuery(sql: string, params: unknown[] = []) {
  const client = new pg.Client(SERVICES.postgres);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const backends = [
  {
    name: 'PGlite',
    skip: false,
    options: (tag: string): CallIndexOptions => ({ pglite: lite, schema: `ct_poison_${tag}` }),
    sql: async (sql: string, params: unknown[] = []) =>
      (await lite.query<Record<string, unknown>>(sql, params)).rows,
  },
  {
    name: 'PostgreSQL',
    skip: !pgUp,
    options(tag: string): CallIndexOptions {
      const schema = `ct_poison_${tag}_${RUN}`;
      schemas.push(schema);
      return { databaseUrl: SERVICES.postgres, schema };
    },
    sql: pgQuery,
  },
];

afterAll(async () => {
  await lite.close();
  if (pgUp) for (const s of schemas) await pgQuery(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
});

const good = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    callId: `good-${i}`,
    from: '+15550100100',
    startedAt: new Date(Date.UTC(2026, 10, 1, 10, i)),
  }));

for (const backend of backends) {
  describe.skipIf(backend.skip)(`a poisoned row on ${backend.name}`, () => {
    const open = (tag: string) =>
      createCallIndex({
        ...backend.options(tag),
        hashKey: KEY,
        flushIntervalMs: 5,
        maxRetryDelayMs: 50,
      });

    it('refuses a call id containing NUL and writes every other call', async () => {
      const index = open('nul');
      for (const u of good(3)) index.record(u);
      index.record({ callId: 'bad\u0000id', startedAt: new Date() });
      for (const u of good(6).slice(3)) index.record(u);
      expect(await index.flush(10_000)).toBe(true);
      expect(index.refused).toBe(1);
      expect((await index.lookup('+15550100100', { limit: 100 })).length).toBe(6);
      await index.close();
    });

    it('refuses dates PostgreSQL cannot store (year 0, 10000, -271821) and keeps the calls', async () => {
      const index = open('dates');
      const bad = [new Date('0000-06-01T00:00:00Z'), new Date(8.64e15), new Date(-8.64e15)];
      bad.forEach((d, i) => index.record({ callId: `odd-${i}`, startedAt: d, status: 'x' }));
      for (const u of good(2)) index.record(u);
      expect(await index.flush(10_000)).toBe(true);
      expect(index.refused).toBe(3);
      const odd = await index.lookupByCallId('odd-1');
      expect(odd.map((c) => [c.callId, c.startedAt, c.status])).toEqual([['odd-1', null, 'x']]);
      expect((await index.lookup('+15550100100')).length).toBe(2);
      await index.close();
    });

    it('isolates a row the database refuses after validation, drops and counts it', async () => {
      const index = open('check');
      await index.ready();
      const schema = backend.options('check').schema!;
      // A constraint the validation knows nothing about: the database alone refuses the row.
      await backend.sql(
        `ALTER TABLE ${schema}.calls ADD CONSTRAINT no_poison CHECK (call_id <> 'poison')`,
      );
      const calls = good(40);
      calls.splice(17, 0, { callId: 'poison', from: '+15550100100', startedAt: new Date() });
      for (const u of calls) index.record(u);
      expect(await index.flush(10_000)).toBe(true);
      expect(index.refused).toBe(1);
      expect(index.dropped).toBe(1);
      const rows = await backend.sql(`SELECT call_id FROM ${schema}.calls`);
      expect(rows.length).toBe(40);
      expect(rows.map((r) => r.call_id)).not.toContain('poison');
      await index.close();
    });

    it('stores every described column and returns it (the row is described once)', async () => {
      const index = open('fields');
      const values: Record<string, unknown> = {
        text: 'v',
        timestamptz: new Date('2026-11-30T12:00:00.000Z'),
        float8: 12.5,
        int4: 7,
        bool: true,
      };
      const update: Record<string, unknown> = { callId: 'every-field', from: '+15550100177' };
      for (const [name, f] of Object.entries(CALL_FIELDS))
        if (name !== 'callId' && !('hidden' in f) && f.format !== 'last4')
          update[name] = name === 'traceId' ? 'f'.repeat(32) : values[f.type];
      index.record(update as never);
      expect(await index.flush(10_000)).toBe(true);
      const [call] = await index.lookupByCallId('every-field');
      for (const name of Object.keys(update))
        if (name !== 'from') expect(call![name as keyof typeof call], name).toEqual(update[name]);
      expect(call!.callerLast4).toBe('0177');
      const columns = await backend.sql(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'calls'`,
        [backend.options('fields').schema],
      );
      expect(columns.map((c) => c.column_name)).toEqual(
        expect.arrayContaining(Object.values(CALL_FIELDS).map((f) => f.column)),
      );
      await index.close();
    });

    it('never creates a schema on lookup: it says there is no index', async () => {
      const options = backend.options('absent');
      const index = createCallIndex({ ...options, hashKey: KEY });
      const found = await index.search('+15550100100');
      expect(found).toMatchObject({ calls: [], indexFound: false, readAs: 'phone number' });
      expect(await index.lookup('call-1')).toEqual([]);
      await index.close();
      const s = await backend.sql(
        `SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`,
        [options.schema],
      );
      expect(s).toEqual([]);
    });

    it('answers a query with NUL or other control characters as bad input', async () => {
      const index = open('nulquery');
      for (const q of ['a\u0000b', '\u001b[31mred', 'x\u007f'])
        await expect(index.lookup(q), JSON.stringify(q)).rejects.toThrow(/control characters/);
      await index.close();
    });

    it('says when a query looks like a phone number but is not one', async () => {
      const index = open('notanumber');
      index.record({ callId: '12345', startedAt: new Date() });
      await index.flush();
      const read = await index.search('+1 555');
      expect(read).toMatchObject({ calls: [], readAs: 'call id' });
      expect(read.notANumber).toMatch(/not a phone number/);
      await expect(index.lookup('+1 555')).rejects.toThrow(
        /not a phone number.*and no call has this id/,
      );
      // A short numeric call id is still found by id.
      expect((await index.lookup('12345')).map((c) => c.callId)).toEqual(['12345']);
      await index.close();
    });
  });
}

describe('the embedded index on disk', () => {
  it('is not created by a lookup of a directory that does not exist', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'calltrace-absent-')), 'index');
    const index = createCallIndex({ dataDir: dir, hashKey: KEY });
    expect(await index.search('+15550100100')).toMatchObject({ indexFound: false, calls: [] });
    await index.close();
    expect(existsSync(dir)).toBe(false);
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });
});

describe('the number key', () => {
  it('refuses a whitespace-only or space-padded key', () => {
    for (const hashKey of [
      ' '.repeat(16),
      ' '.repeat(40),
      '\t'.repeat(20),
      'short' + ' '.repeat(20),
    ])
      expect(() => createCallIndex({ hashKey }), JSON.stringify(hashKey)).toThrow(
        CallIndexConfigError,
      );
    expect(() => createCallIndex({ hashKey: 'a-real-key-0123456789' })).not.toThrow();
  });

  it('prints the public development key warning once to stderr', () => {
    resetNoticesForTests();
    const previous = process.env.CALLTRACE_INDEX_KEY;
    delete process.env.CALLTRACE_INDEX_KEY;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      createCallIndex();
      createCallIndex();
      const lines = write.mock.calls
        .map(([s]) => String(s))
        .filter((s) => s.includes('development key'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^calltrace: call index: no CALLTRACE_INDEX_KEY/);
    } finally {
      write.mockRestore();
      if (previous !== undefined) process.env.CALLTRACE_INDEX_KEY = previous;
    }
  });

  it('keeps CallIndexInputError for lookups of bad input', async () => {
    const index = createCallIndex({ hashKey: KEY });
    await expect(index.lookupByNumber('hello')).rejects.toBeInstanceOf(CallIndexInputError);
    await index.close();
  });
});
