/**
 * `npm run bench -- collector`: the real Collector tier (deploy/otel-collector, built by
 * `npm run build:go`) on the shipped YAML. Two figures:
 *
 * 1. Spans/s through load balancer → two tail-sampling collectors, against a same-run
 *    baseline: the same spans sent straight to one tail-sampling collector.
 * 2. Resident memory of a tail-sampling collector holding N calls in progress (spans
 *    received, root not yet: what a collector holds for calls that last minutes), per call.
 *
 * Synthetic calls of SPANS_PER_CALL spans, sent as OTLP/JSON over HTTP in batches.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startLoadBalancer, TailSampler } from '../test/helpers/collector-tier.js';
import { freePort, goBinary, rssMiB, startBinary, stop } from '../test/helpers/go-binaries.js';

const SPANS_PER_CALL = 20;
const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const HELD = [1000, 5000, 10_000];
const hex = (n: number) => randomBytes(n).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One call's spans in OTLP/JSON; without the root when `withRoot` is false (call in progress). */
function callSpans(withRoot: boolean) {
  const traceId = hex(16);
  const root = hex(8);
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let i = 0; i < SPANS_PER_CALL; i++) {
    const isRoot = i === 0;
    if (isRoot && !withRoot) continue;
    spans.push({
      traceId,
      spanId: isRoot ? root : hex(8),
      parentSpanId: isRoot ? '' : root,
      name: isRoot ? 'call' : 'invoke_agent front desk',
      kind: isRoot ? 2 : 1,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 1_000_000n),
      attributes: [
        { key: 'calltrace.turn.index', value: { intValue: String(i) } },
        { key: 'calltrace.turn.first_audio_ms', value: { doubleValue: 420.5 } },
        { key: 'gen_ai.conversation.id', value: { stringValue: `bench-${traceId}` } },
      ],
      status: {},
    });
  }
  return spans;
}

function body(spans: unknown[]) {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] },
        scopeSpans: [{ scope: { name: 'bench' }, spans }],
      },
    ],
  });
}

/** Pre-encoded batches of `calls` calls, so the sender's JSON work is not timed. */
function batches(calls: number, withRoot: boolean, callsPerBatch = 25): string[] {
  const out: string[] = [];
  for (let i = 0; i < calls; i += callsPerBatch) {
    const spans = [];
    for (let j = 0; j < callsPerBatch && i + j < calls; j++) spans.push(...callSpans(withRoot));
    out.push(body(spans));
  }
  return out;
}

async function send(url: string, bodies: string[], concurrency = 4) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: bodies[next++]!,
        });
        if (!res.ok) throw new Error(`OTLP/HTTP ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
}

/** Spans the collectors' `received` pipelines have written (their own counters). */
async function receivedSpans(metricsPorts: number[]): Promise<number> {
  let total = 0;
  for (const port of metricsPorts) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (
        line.startsWith('otelcol_exporter_sent_spans') &&
        line.includes('exporter="file/received"')
      ) {
        total += Number(line.split(' ').pop());
      }
    }
  }
  return total;
}

/** Spans/s from the first send until `calls` more calls have reached the `received` pipelines. */
async function throughput(url: string, metricsPorts: number[], calls: number): Promise<number> {
  const before = await receivedSpans(metricsPorts);
  const bodies = batches(calls, true);
  const expected = before + calls * SPANS_PER_CALL;
  const start = performance.now();
  await send(url, bodies);
  while ((await receivedSpans(metricsPorts)) < expected) await sleep(50);
  return (calls * SPANS_PER_CALL) / ((performance.now() - start) / 1000);
}

const otelcol = goBinary('otelcol');
if (!otelcol) process.exit(0);
const timing = { decisionWait: '10m', afterRoot: '1s' };

// --- 1. throughput: tier vs one tail-sampling collector ----------------------------------------
{
  const dir = mkdtempSync(`${tmpdir()}/calltrace-bench-tier-`);
  const ts = [
    new TailSampler(otelcol, dir, 'ts-a', await freePort(), await freePort(), timing),
    new TailSampler(otelcol, dir, 'ts-b', await freePort(), await freePort(), timing),
  ];
  await Promise.all(ts.map((t) => t.start()));
  const lb = await startLoadBalancer(otelcol, dir, ts);
  // The baseline: a third tail-sampling collector fed directly over OTLP/HTTP.
  const direct = new TailSampler(
    otelcol,
    dir,
    'direct',
    await freePort(),
    await freePort(),
    timing,
  );
  const httpPort = await freePort();
  writeFileSync(
    `${dir}/direct-http.yaml`,
    `receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:${httpPort} } } } }\n`,
  );
  direct.child = await startBinary(
    otelcol,
    [
      '--config',
      `${process.cwd()}/deploy/otel-collector/tail-sampling.yaml`,
      '--config',
      direct.override,
      '--config',
      `${dir}/direct-http.yaml`,
    ],
    {
      name: 'direct',
      port: httpPort,
      logFile: `${dir}/direct.log`,
      env: {
        CALLTRACE_OTLP_GRPC_ENDPOINT: `127.0.0.1:${direct.port}`,
        CALLTRACE_METRICS_HOST: '127.0.0.1',
        CALLTRACE_METRICS_PORT: String(direct.metricsPort),
        CALLTRACE_DECISION_WAIT: timing.decisionWait,
        CALLTRACE_DECISION_WAIT_AFTER_ROOT: timing.afterRoot,
      },
    },
  );
  const rounds: Array<[number, number]> = [];
  for (let round = 0; round < 3; round++) {
    const base = await throughput(`http://127.0.0.1:${httpPort}`, [direct.metricsPort], CALLS);
    const tier = await throughput(
      lb.httpUrl,
      ts.map((t) => t.metricsPort),
      CALLS,
    );
    rounds.push([base, tier]);
  }
  for (const [base, tier] of rounds) {
    console.log(
      `tier (lb → 2 tail-sampling) ${Math.round(tier)} spans/s; one tail-sampling collector ` +
        `directly ${Math.round(base)} spans/s; ratio ${(tier / base).toFixed(2)}x`,
    );
  }
  await stop(lb.child);
  await Promise.all([...ts, direct].map((t) => t.stop()));
}

// --- 2. memory per collector at N calls in progress ------------------------------------------
{
  const dir = mkdtempSync(`${tmpdir()}/calltrace-bench-mem-`);
  const t = new TailSampler(otelcol, dir, 'ts', await freePort(), await freePort(), timing);
  const httpPort = await freePort();
  writeFileSync(
    `${dir}/http.yaml`,
    `receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:${httpPort} } } } }\n`,
  );
  t.child = await startBinary(
    otelcol,
    [
      '--config',
      `${process.cwd()}/deploy/otel-collector/tail-sampling.yaml`,
      '--config',
      t.override,
      '--config',
      `${dir}/http.yaml`,
    ],
    {
      name: 'ts',
      port: httpPort,
      logFile: `${dir}/ts.log`,
      env: {
        CALLTRACE_OTLP_GRPC_ENDPOINT: `127.0.0.1:${t.port}`,
        CALLTRACE_METRICS_HOST: '127.0.0.1',
        CALLTRACE_METRICS_PORT: String(t.metricsPort),
        CALLTRACE_DECISION_WAIT: timing.decisionWait,
        CALLTRACE_DECISION_WAIT_AFTER_ROOT: timing.afterRoot,
      },
    },
  );
  await sleep(2000);
  const idle = rssMiB(t.child.pid)!;
  console.log(`tail-sampling collector idle: ${idle.toFixed(0)} MiB RSS`);
  let held = 0;
  for (const n of HELD) {
    await send(`http://127.0.0.1:${httpPort}`, batches(n - held, false));
    held = n;
    await sleep(3000);
    const rss = rssMiB(t.child.pid)!;
    console.log(
      `holding ${n} calls in progress (${SPANS_PER_CALL - 1} spans each): ${rss.toFixed(0)} MiB RSS, ` +
        `${(((rss - idle) * 1024) / n).toFixed(1)} KiB per call above idle`,
    );
  }
  await t.stop();
}
