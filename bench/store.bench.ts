/**
 * The call index on PostgreSQL (`npm run bench -- store`).
 * 1. Lookup by number with 10,000 and with 1,000,000 calls in the table: p50 and p99 of
 *    `lookupByNumber`, interleaved, and the ratio large/small (target ≤ 2x: the lookup is an
 *    index seek, logarithmic in table size).
 * 2. Index writes per second while calls run (start, track, end through the span processor),
 *    and the cost on the call's path against the same calls without the index.
 * Each table lives in its own schema, dropped afterwards.
 */
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pg from 'pg';
import { startCall } from '../src/call.js';
import { createCallIndex, type CallIndex } from '../src/store/index.js';
import { NumberProtector } from '../src/store/number-protection.js';
import { formatNs, measure, report } from './harness.js';

const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const KEY = 'bench-key-0123456789abcdef';
const RUN = `${process.pid}_${Date.now()}`;
const CALLS_PER_NUMBER = 5;
const admin = new pg.Client(URL);
await admin.connect();
const schemas: string[] = [];
const numberOf = (i: number) => `+1555${String(i).padStart(7, '0')}`;
/**
 * Our own line, the callee of every seeded call. Outside numberOf's range (at most 200,000
 * numbers, +15550000000…+15550199999), so a randomly drawn caller can never be it. It used to
 * be +15550109999 = numberOf(109999): a draw of that number (about one run in sixty) found all
 * 1M calls instead of 5 and failed the run.
 */
const OUR_LINE = '+15559999999';

async function seed(rows: number): Promise<CallIndex> {
  const schema = `ct_bench_${rows}_${RUN}`;
  schemas.push(schema);
  const index = createCallIndex({ databaseUrl: URL, schema, hashKey: KEY });
  await index.ready(); // migrations: the real table and indexes
  const numbers = rows / CALLS_PER_NUMBER;
  const protector = new NumberProtector(KEY, false);
  const ids = Array.from({ length: numbers }, (_, i) => i);
  const hashes = ids.map((i) => protector.hash(numberOf(i)));
  const started = performance.now();
  await admin.query(`CREATE TABLE ${schema}.numbers (i int PRIMARY KEY, hash text, last4 text)`);
  await admin.query(
    `INSERT INTO ${schema}.numbers SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`,
    [ids, hashes, ids.map((i) => numberOf(i).slice(-4))],
  );
  await admin.query(
    `INSERT INTO ${schema}.calls (call_id, trace_id, direction, caller_hash, caller_last4, callee_hash,
       callee_last4, started_at, ended_at, status, first_audio_max_ms, first_audio_p50_ms, error)
     SELECT 'bench-' || g, md5(g::text), 'inbound', n.hash, n.last4, $1, '9999',
       now() - make_interval(secs => g * 7), now() - make_interval(secs => g * 7 - 90),
       'completed', 400 + g % 900, 300 + g % 400, g % 50 = 0
     FROM generate_series(0, $2::int - 1) AS g JOIN ${schema}.numbers n ON n.i = g % $3::int`,
    [protector.hash(OUR_LINE), rows, numbers],
  );
  await admin.query(`ANALYZE ${schema}.calls`);
  console.log(
    `seeded ${rows.toLocaleString('en')} calls in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return index;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

try {
  // --- 1. lookup by number: 10k vs 1M ----------------------------------------------------
  const small = await seed(10_000);
  const large = await seed(1_000_000);
  const samples = { small: [] as number[], large: [] as number[] };
  const LOOKUPS = 3_000;
  for (let i = 0; i < LOOKUPS + 300; i++) {
    for (const [name, index, numbers] of [
      ['small', small, 10_000 / CALLS_PER_NUMBER],
      ['large', large, 1_000_000 / CALLS_PER_NUMBER],
    ] as const) {
      const number = numberOf(Math.floor(Math.random() * numbers));
      const t = process.hrtime.bigint();
      const found = await index.lookupByNumber(number);
      const ns = Number(process.hrtime.bigint() - t);
      if (found.length !== CALLS_PER_NUMBER)
        throw new Error(`expected ${CALLS_PER_NUMBER} calls for ${number}`);
      if (i >= 300) samples[name].push(ns); // the first 300 warm the pool and the cache
    }
  }
  const stats = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => {
      const sorted = v.sort((a, b) => a - b);
      return [k, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  ) as Record<'small' | 'large', { p50: number; p99: number }>;
  for (const [name, rows] of [
    ['small', '10,000'],
    ['large', '1,000,000'],
  ] as const)
    console.log(
      `lookup by number, ${rows} calls: p50 ${formatNs(stats[name].p50)}, p99 ${formatNs(stats[name].p99)} (${LOOKUPS} lookups)`,
    );
  const ratio50 = stats.large.p50 / stats.small.p50;
  const ratio99 = stats.large.p99 / stats.small.p99;
  console.log(
    `lookup by number 1M/10k: p50 ${ratio50.toFixed(3)}x, p99 ${ratio99.toFixed(3)}x (target ≤ 2x)${ratio50 <= 2 ? '  ok' : '  MISSED'}`,
  );
  const callee = await large.lookupByNumber(OUR_LINE);
  console.log(
    `lookup by our own line (all 1M calls match; the newest 50 come back): ${callee.length} results`,
  );
  await small.close();
  await large.close();

  // --- 2. index writes while calls run ------------------------------------------------------
  const CALLS = 20_000;
  const writes = createCallIndex({
    databaseUrl: URL,
    schema: `ct_bench_writes_${RUN}`,
    hashKey: KEY,
    flushIntervalMs: 50,
    maxQueueSize: 100_000,
  });
  schemas.push(`ct_bench_writes_${RUN}`);
  await writes.ready();
  const indexed = new BasicTracerProvider({ spanProcessors: [writes.spanProcessor] });
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const call = startCall({
      callId: `w-${i}`,
      to: OUR_LINE,
      provider: 'twilio',
      tracerProvider: indexed,
    });
    writes.track(call, { from: numberOf(i) });
    call.end();
    if (i % 200 === 199) await new Promise((r) => setImmediate(r)); // calls arrive over time
  }
  const callsDone = performance.now();
  await writes.flush(120_000);
  const elapsed = (performance.now() - started) / 1000;
  const stored = await admin.query(
    `SELECT count(*)::int AS n FROM ct_bench_writes_${RUN}.calls WHERE ended_at IS NOT NULL`,
  );
  console.log(
    `index writes while calls run: ${CALLS.toLocaleString('en')} calls (start + end each) indexed in ${elapsed.toFixed(2)} s = ${Math.round(CALLS / elapsed).toLocaleString('en')} calls/s; calls themselves took ${((callsDone - started) / 1000).toFixed(2)} s; stored ${stored.rows[0].n}, dropped ${writes.dropped}`,
  );

  // The call's own path: start + track + end with the index's processor vs without.
  const bare = new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] });
  let n = 0;
  const pathCases = [
    {
      name: 'call without index',
      fn: () => startCall({ callId: `b-${n++}`, to: OUR_LINE, tracerProvider: bare }).end(),
    },
    {
      name: 'call with index',
      fn: () => {
        const call = startCall({ callId: `i-${n++}`, to: OUR_LINE, tracerProvider: indexed });
        writes.track(call, { from: numberOf(n % 100_000) });
        call.end();
      },
    },
  ];
  const [without, withIndex] = await measure(pathCases, { iterations: 2_000, rounds: 5 });
  report('call path (start, track, end)', withIndex!, without!);
  await writes.flush(120_000);
  await writes.close();
} finally {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await admin.end();
}
