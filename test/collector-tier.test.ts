/**
 * The real Collector tier (our distribution, deploy/otel-collector, built from source) running
 * the shipped YAML: three calltrace processes → one load-balancing collector → two
 * tail-sampling collectors → files. Timings are compressed by configuration (the Collector's
 * own `${env:…}` substitution): decision_wait 10 min → 30 s, 10 s after the root → 1 s.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HASH_SALT, DEFAULT_KEEP_RATIO, traceIdRatio } from '../src/sampler/index.js';
import {
  readSpans,
  runFixture,
  startFixture,
  startLoadBalancer,
  TailSampler,
  type FileSpan,
} from './helpers/collector-tier.js';
import { freePort, goBinary, rssMiB, stop } from './helpers/go-binaries.js';
import { hasService, SERVICES } from './helpers/services.js';
import { longCall, makeCalls } from './fixtures/fleet/make-plan.js';
import type { CallResult, FleetPlan, PlannedCall } from './fixtures/fleet/plan.js';

const otelcol = goBinary('otelcol');
const ready = otelcol !== undefined && (await hasService('nats'));
const TIMING = { decisionWait: '30s', afterRoot: '1s' };
const ratioKeeps = traceIdRatio(DEFAULT_KEEP_RATIO, DEFAULT_HASH_SALT);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mustKeep = (kind: string) => kind !== 'normal';

interface Run {
  results: CallResult[];
  elapsedMs: number;
}

/** Where each trace's spans went, per tail-sampling collector. */
interface Landing {
  received: Map<string, Map<string, FileSpan[]>>; // collector → trace → spans
  kept: Map<string, Map<string, FileSpan[]>>;
}

const byTrace = (spans: FileSpan[]) => {
  const m = new Map<string, FileSpan[]>();
  for (const s of spans) m.set(s.traceId, [...(m.get(s.traceId) ?? []), s]);
  return m;
};

describe.skipIf(!ready)('the Collector tier on the shipped YAML (real binaries)', () => {
  const dir = mkdtempSync(`${tmpdir()}/calltrace-tier-`);
  const children: ChildProcess[] = [];
  let samplers: TailSampler[] = [];
  let lbUrl = '';
  let toolUrl = '';
  const subject = `fleet.${Date.now().toString(36)}.book`;
  const memory: Record<string, number[]> = {};

  function land(): Landing {
    const received = new Map<string, Map<string, FileSpan[]>>();
    const kept = new Map<string, Map<string, FileSpan[]>>();
    for (const t of samplers) {
      received.set(t.name, byTrace(readSpans(t.received)));
      kept.set(t.name, byTrace(readSpans(t.kept)));
    }
    return { received, kept };
  }

  function sampleMemory() {
    for (const t of samplers) {
      const mib = rssMiB(t.child?.pid);
      if (mib) (memory[t.name] ??= []).push(mib);
    }
  }

  /** Runs the relay on `calls`; `during` runs alongside once the calls start. */
  async function runCalls(
    name: string,
    calls: PlannedCall[],
    concurrency: number,
    during?: () => Promise<void>,
  ) {
    const plan: FleetPlan = { toolUrl, natsSubject: subject, concurrency, calls };
    const planFile = `${dir}/${name}-plan.json`;
    const resultFile = `${dir}/${name}-result.json`;
    writeFileSync(planFile, JSON.stringify(plan));
    const sampler = setInterval(sampleMemory, 250);
    let started: () => void = () => undefined;
    const callsStarted = new Promise<void>((r) => (started = r));
    const env = {
      OTLP_URL: lbUrl,
      PLAN_FILE: planFile,
      RESULT_FILE: resultFile,
      NATS_URL: SERVICES.nats,
    };
    await Promise.all([
      runFixture('relay.ts', env, (line) => line === 'calls started' && started()),
      during && callsStarted.then(during),
    ]);
    clearInterval(sampler);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as Run;
  }

  /** Waits until every call that must be kept has its root span kept, and the files settle. */
  async function settle(results: CallResult[], maxMs = 60_000) {
    const deadline = Date.now() + maxMs;
    let last = '';
    while (Date.now() < deadline) {
      await sleep(1000);
      const { kept } = land();
      const keptTraces = new Set([...kept.values()].flatMap((m) => [...m.keys()]));
      const sizes = [...kept.values()].map((m) => [...m.values()].flat().length).join(',');
      const allIn = results.filter((r) => mustKeep(r.kind)).every((r) => keptTraces.has(r.traceId));
      if (allIn && sizes === last) return;
      last = sizes;
    }
  }

  beforeAll(async () => {
    samplers = [
      new TailSampler(otelcol!, dir, 'ts-a', await freePort(), await freePort(), TIMING),
      new TailSampler(otelcol!, dir, 'ts-b', await freePort(), await freePort(), TIMING),
    ];
    await Promise.all(samplers.map((t) => t.start()));
    const lb = await startLoadBalancer(otelcol!, dir, samplers);
    children.push(lb.child);
    lbUrl = lb.httpUrl;
    const env = { OTLP_URL: lbUrl, NATS_URL: SERVICES.nats, NATS_SUBJECT: subject };
    const tool = await startFixture('tool-service.ts', env);
    toolUrl = `http://127.0.0.1:${tool.ready.split(' ')[1]}`;
    const worker = await startFixture('nats-worker.ts', env);
    children.push(tool.child, worker.child);
  }, 180_000);

  afterAll(async () => {
    for (const c of children.reverse()) await stop(c);
    for (const t of samplers) await t.stop();
    console.log(`[collector-tier] logs and files in ${dir}`);
  });

  describe('300 calls and one long call through the tier', () => {
    let run: Run;
    let landing: Landing;
    let home: Map<string, string>; // trace → the collector that received it

    beforeAll(async () => {
      const calls = [
        longCall('p1', 18, 500),
        ...makeCalls('p1', 300, { turns: 3, turnGapMs: 60, seed: 1 }),
      ];
      run = await runCalls('phase1', calls, 25);
      await settle(run.results);
      landing = land();
      home = new Map();
      for (const [name, traces] of landing.received)
        for (const id of traces.keys()) home.set(id, name);
      const spans = [...landing.received.values()].flatMap((m) => [...m.values()]).flat().length;
      console.log(
        `[collector-tier] phase 1: ${run.results.length} calls, ${spans} spans in ${run.elapsedMs} ms ` +
          `(${Math.round(spans / (run.elapsedMs / 1000))} spans/s offered to the tier); ` +
          `peak RSS ${Object.entries(memory)
            .map(([n, v]) => `${n} ${Math.max(...v).toFixed(0)} MiB`)
            .join(', ')}`,
      );
    }, 240_000);

    it('routes every span of a call, from all three processes, to one tail-sampling collector', () => {
      for (const r of run.results) {
        const at = samplers.filter((t) => landing.received.get(t.name)!.has(r.traceId));
        expect(
          at.map((t) => t.name),
          r.callId,
        ).toHaveLength(1);
        const services = new Set(
          landing.received
            .get(at[0]!.name)!
            .get(r.traceId)!
            .map((s) => s.service),
        );
        expect(services, r.callId).toEqual(
          new Set(['fleet-relay', 'fleet-tool-service', 'fleet-nats-worker']),
        );
      }
      // Both collectors got a share.
      for (const t of samplers) expect(landing.received.get(t.name)!.size).toBeGreaterThan(50);
    });

    it('keeps every error call and every slow call whole', () => {
      const must = run.results.filter((r) => mustKeep(r.kind));
      expect(must.length).toBeGreaterThan(70);
      for (const r of must) {
        const at = home.get(r.traceId)!;
        const received = landing.received
          .get(at)!
          .get(r.traceId)!
          .map((s) => s.spanId)
          .sort();
        const kept = (landing.kept.get(at)!.get(r.traceId) ?? []).map((s) => s.spanId).sort();
        expect(kept, `${r.kind} ${r.callId}`).toEqual(received);
      }
    });

    it('keeps exactly the normal calls the in-process callTailSampler keeps (same ratio and salt)', () => {
      const normal = run.results.filter((r) => r.kind === 'normal');
      const keptAtTier = normal.filter((r) =>
        landing.kept.get(home.get(r.traceId)!)!.has(r.traceId),
      );
      const keptInProcess = normal.filter((r) => r.inProcessKept);
      expect(keptAtTier.map((r) => r.callId).sort()).toEqual(
        keptInProcess.map((r) => r.callId).sort(),
      );
      expect(keptAtTier.every((r) => ratioKeeps(r.traceId))).toBe(true);
      expect(keptAtTier.length).toBeGreaterThan(5); // ~10 % of ~220
      for (const r of keptAtTier) {
        const at = home.get(r.traceId)!;
        expect(landing.kept.get(at)!.get(r.traceId)!.length).toBe(
          landing.received.get(at)!.get(r.traceId)!.length,
        );
      }
    });

    it('keeps a call for an ERROR only the NATS worker saw, which the relay alone cannot know', () => {
      const workerErrors = run.results.filter((r) => r.kind === 'error-worker');
      expect(workerErrors.length).toBeGreaterThan(5);
      for (const r of workerErrors) {
        expect(landing.kept.get(home.get(r.traceId)!)!.has(r.traceId)).toBe(true);
        // In process, only the ratio could keep it.
        expect(r.inProcessKept, r.callId).toBe(ratioKeeps(r.traceId));
      }
    });

    it('keeps nothing twice', () => {
      const kept = [...landing.kept.values()].flatMap((m) => [...m.values()]).flat();
      expect(new Set(kept.map((s) => s.spanId)).size).toBe(kept.length);
      const [a, b] = samplers.map((t) => new Set(landing.kept.get(t.name)!.keys()));
      expect([...a!].filter((id) => b!.has(id))).toEqual([]);
    });

    it('decides a long call as one: its only slow turn, at the end, keeps all of it', () => {
      const long = run.results.find((r) => r.kind === 'long')!;
      expect(long.endedAt - long.startedAt).toBeGreaterThan(8_000);
      const at = home.get(long.traceId)!;
      const received = landing.received.get(at)!.get(long.traceId)!;
      const kept = landing.kept.get(at)!.get(long.traceId) ?? [];
      expect(kept.map((s) => s.spanId).sort()).toEqual(received.map((s) => s.spanId).sort());
      // 18 turns, each an invoke_agent span, all in the one decision
      expect(kept.filter((s) => s.name.startsWith('invoke_agent'))).toHaveLength(18);
      // and every parent is in the kept trace, except the root's
      const ids = new Set(kept.map((s) => s.spanId));
      expect(kept.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);
    });
  });

  describe('one tail-sampling collector stopped and restarted mid-run', () => {
    let run: Run;
    let landing: Landing;
    let stoppedAt = 0;
    let restartedAt = 0;
    const verdicts = new Map<string, string>();

    /** Right = kept whole when it must be (error, slow, ratio), not kept otherwise. */
    function verdict(r: CallResult): string {
      const at = [...landing.received].find(([, m]) => m.has(r.traceId))?.[0];
      if (!at) return 'never received';
      const received = landing.received.get(at)!.get(r.traceId)!.length;
      const kept = landing.kept.get(at)!.get(r.traceId)?.length ?? 0;
      const shouldKeep = mustKeep(r.kind) || ratioKeeps(r.traceId);
      if (!shouldKeep) return kept === 0 ? 'right' : 'kept but should not';
      if (kept === 0) return 'lost';
      return kept >= received ? 'right' : 'kept in part';
    }

    const phase = (r: CallResult) =>
      r.endedAt < stoppedAt - 1500
        ? 'decided before the stop'
        : r.startedAt > stoppedAt && r.endedAt < restartedAt
          ? 'ran while it was down'
          : r.startedAt > restartedAt
            ? 'after the restart'
            : 'across the stop or restart';

    beforeAll(async () => {
      const calls = makeCalls('p2', 200, { turns: 5, turnGapMs: 250, seed: 2, spreadMs: 9000 });
      const b = samplers[1]!;
      run = await runCalls('phase2', calls, 60, async () => {
        await sleep(3000);
        stoppedAt = Date.now();
        await b.stop('SIGTERM');
        await sleep(2500);
        restartedAt = Date.now();
        await b.start();
      });
      await settle(run.results, 90_000);
      landing = land();
      const table = new Map<string, number>();
      for (const r of run.results) {
        const at = samplers.find((t) => landing.received.get(t.name)!.has(r.traceId))?.name ?? '?';
        const v = verdict(r);
        verdicts.set(r.callId, v);
        const key = `${at} | ${phase(r)} | ${mustKeep(r.kind) ? 'error/slow' : 'normal'} | ${v}`;
        table.set(key, (table.get(key) ?? 0) + 1);
      }
      const lines = [...table].sort().map(([k, n]) => `  ${k}: ${n}`);
      writeFileSync(`${dir}/restart-report.txt`, lines.join('\n'));
      console.log(
        `[collector-tier] restart of ts-b (SIGTERM, down ${restartedAt - stoppedAt} ms):\n${lines.join('\n')}`,
      );
    }, 300_000);

    it('the collector that stayed up decides every call right', () => {
      const a = run.results.filter((r) => landing.received.get('ts-a')!.has(r.traceId));
      expect(a.length).toBeGreaterThan(50);
      expect(a.filter((r) => verdicts.get(r.callId) !== 'right')).toEqual([]);
    });

    it('the restarted one decides right every call that ended before the stop or started after the restart', () => {
      const b = run.results.filter((r) => landing.received.get('ts-b')!.has(r.traceId));
      const clear = b.filter((r) =>
        ['decided before the stop', 'after the restart'].includes(phase(r)),
      );
      expect(clear.length).toBeGreaterThan(10);
      expect(clear.filter((r) => verdicts.get(r.callId) !== 'right')).toEqual([]);
    });

    it('spans sent while it was down wait in the load balancer’s queue and arrive after the restart', () => {
      expect(run.results.filter((r) => verdicts.get(r.callId) === 'never received')).toEqual([]);
    });

    it('keeps nothing twice across the restart', () => {
      const kept = [...landing.kept.values()].flatMap((m) => [...m.values()]).flat();
      expect(new Set(kept.map((s) => s.spanId)).size).toBe(kept.length);
    });
  });
});
