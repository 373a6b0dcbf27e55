import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { SamplingAttr } from '../src/attributes.js';
import { samplerPipeline } from './helpers/sampler.js';

const pipelines: Array<ReturnType<typeof samplerPipeline>> = [];
function pipeline(...args: Parameters<typeof samplerPipeline>) {
  const p = samplerPipeline(...args);
  pipelines.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.shutdown()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hard bounds of the tail sampler', () => {
  it('maxTraces: evicts the oldest undecided call, counts its spans, marks it if kept later', () => {
    const p = pipeline({ keepRatio: 0, maxTraces: 2 });
    const [a, b, c] = [p.call('a'), p.call('b'), p.call('c')]; // c's start evicts a
    for (const call of [a, b, c]) p.child(call, 'turn', { call: call.callId });
    expect(p.sampler.stats()).toMatchObject({
      bufferedTraces: 2,
      bufferedSpans: 2, // b's and c's turns
      evictedSpans: 1, // a's turn: a was cut, so it is not held again (no thrashing)
    });
    p.child(a, 'failing-tool', {}, true);
    expect(p.names()).toEqual(['failing-tool']);
    expect(p.exported()[0]!.attributes[SamplingAttr.incomplete]).toBe('evicted');
    a.end();
    expect(p.exported()[1]!.name).toBe('call');
    expect(p.exported()[1]!.attributes[SamplingAttr.incomplete]).toBe('evicted');
  });

  it('maxTraces: the calls still held stay whole', () => {
    const p = pipeline({ keepRatio: 0, maxTraces: 2 });
    const [a, b, c] = [p.call('a'), p.call('b'), p.call('c')];
    for (const call of [a, b, c]) p.child(call, 'turn');
    b.end({ error: new Error('failed') });
    const kept = p.exported();
    expect(kept.map((s) => s.name)).toEqual(['turn', 'call']);
    expect(kept.every((s) => s.spanContext().traceId === b.traceId)).toBe(true);
    expect(kept.every((s) => s.attributes[SamplingAttr.incomplete] === undefined)).toBe(true);
  });

  it('maxSpansPerTrace: keeps the first N and the root, counts the rest, marks the kept call', () => {
    const p = pipeline({ keepRatio: 0, maxSpansPerTrace: 3 });
    const call = p.call();
    for (let i = 0; i < 5; i++) p.child(call, `turn-${i}`);
    expect(p.sampler.stats()).toMatchObject({ bufferedSpans: 3, overLimitSpans: 2 });
    call.end({ error: new Error('hung up on') });
    expect(p.names()).toEqual(['turn-0', 'turn-1', 'turn-2', 'call']);
    for (const span of p.exported()) {
      expect(span.attributes[SamplingAttr.incomplete]).toBe('span_limit');
    }
  });

  it('maxBufferedSpans: evicts the oldest calls to stay under the total', () => {
    const p = pipeline({ keepRatio: 0, maxBufferedSpans: 10, maxSpansPerTrace: 10 });
    const calls = Array.from({ length: 4 }, () => p.call());
    for (const call of calls) for (let i = 0; i < 4; i++) p.child(call, 'turn');
    const stats = p.sampler.stats();
    expect(stats.bufferedSpans).toBeLessThanOrEqual(10);
    expect(stats.evictedSpans).toBe(16 - stats.bufferedSpans);
    expect(stats.evictedSpans).toBeGreaterThanOrEqual(6);
  });

  it('traceTimeoutMs: drops a call whose root never ends, counts it, marks a later keep', async () => {
    const p = pipeline({ keepRatio: 0, traceTimeoutMs: 40 });
    const call = p.call();
    p.child(call, 'turn-1');
    p.child(call, 'turn-2');
    await sleep(150);
    expect(p.sampler.stats()).toMatchObject({
      bufferedTraces: 0,
      bufferedSpans: 0,
      timedOutSpans: 2,
    });
    p.child(call, 'error-after-timeout', {}, true);
    expect(p.names()).toEqual(['error-after-timeout']);
    expect(p.exported()[0]!.attributes[SamplingAttr.incomplete]).toBe('timeout');
  });

  it('decisionCacheSize: remembers at most N decisions', () => {
    const p = pipeline({ keepRatio: 1, decisionCacheSize: 5 });
    for (let i = 0; i < 20; i++) p.call().end();
    expect(p.sampler.stats().decisions).toBe(5);
    expect(p.names()).toHaveLength(20);
  });

  it('decisionTtlMs: a late span after the decision expired is decided afresh', async () => {
    const p = pipeline({ keepRatio: 0, decisionTtlMs: 20, traceTimeoutMs: 60_000 });
    const call = p.call();
    const late = p.open(call, 'late');
    call.end(); // dropped
    expect(p.sampler.stats().decisions).toBe(1);
    await sleep(60);
    late.end();
    // Not followed as "drop" any more: held as a fresh undecided trace.
    expect(p.sampler.stats()).toMatchObject({ bufferedSpans: 1 });
  });

  it('its sweep timer does not keep the process alive', () => {
    const script = `
      import { callTailSampler } from './src/sampler/index.ts';
      callTailSampler({ traceTimeoutMs: 20 });
      console.log('created');
    `;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: process.cwd(),
        timeout: 20_000,
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toContain('created');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });

  it('stays flat over a soak of 100,000 calls', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const p = pipeline({ keepRatio: 0.1, maxTraces: 300, decisionCacheSize: 5_000 });
    const soak = async (calls: number) => {
      for (let i = 0; i < calls; i++) {
        const call = p.call();
        const open = i % 50 === 0 ? undefined : p.open(call, 'turn');
        p.child(call, 'tool', {}, i % 100 === 0);
        open?.end();
        if (i % 50 !== 1) call.end(); // 1 call in 50 never ends: held until evicted
        // SimpleSpanProcessor forgets an export only in a microtask: let it.
        if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setImmediate(resolve));
      p.exporter.reset();
      gc();
    };
    await soak(20_000); // warm-up: fills the pending set and the decision cache to their bounds
    const before = process.memoryUsage().heapUsed;
    await soak(80_000);
    const growth = process.memoryUsage().heapUsed - before;
    const stats = p.sampler.stats();
    expect(stats.bufferedTraces).toBeLessThanOrEqual(300);
    expect(stats.decisions).toBeLessThanOrEqual(5_000);
    expect(stats.evictedSpans).toBeGreaterThan(1_000);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});
