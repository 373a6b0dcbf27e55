import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ExportResultCode } from '@opentelemetry/core';
import { CallAttr, SamplingAttr, TurnAttr } from '../src/attributes.js';
import { traceIdRatio } from '../src/sampler/index.js';
import { fnv1a64, thresholdFor } from '../src/sampler/trace-id-ratio.js';
import { samplerPipeline } from './helpers/sampler.js';

const randomTraceId = () => randomBytes(16).toString('hex');

const pipelines: Array<ReturnType<typeof samplerPipeline>> = [];
function pipeline(...args: Parameters<typeof samplerPipeline>) {
  const p = samplerPipeline(...args);
  pipelines.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.shutdown()));
});

describe('callTailSampler policies', () => {
  it('keeps the whole call when any span has an ERROR status', () => {
    const p = pipeline({ keepRatio: 0 });
    const call = p.call();
    p.child(call, 'ok-before');
    p.child(call, 'failing-tool', {}, true);
    p.child(call, 'ok-after');
    call.end();
    expect(p.names()).toEqual(['ok-before', 'failing-tool', 'ok-after', 'call']);
    expect(new Set(p.exported().map((s) => s.spanContext().traceId))).toEqual(
      new Set([call.traceId]),
    );
  });

  it('keeps a call whose first-audio max on the root is over the threshold', () => {
    const p = pipeline({ keepRatio: 0 });
    const call = p.call();
    p.child(call, 'turn');
    call.state.recordFirstAudio(1600);
    call.end();
    expect(p.names()).toEqual(['turn', 'call']);
    expect(p.exported()[1]!.attributes[CallAttr.firstAudioMaxMs]).toBe(1600);
  });

  it('keeps a call on one slow turn, deciding before the call ends', () => {
    const p = pipeline({ keepRatio: 0 });
    const call = p.call();
    p.child(call, 'fast-turn', { [TurnAttr.firstAudioMs]: 300 });
    p.child(call, 'slow-turn', { [TurnAttr.firstAudioMs]: 1700.5 });
    expect(p.names()).toEqual(['fast-turn', 'slow-turn']);
    expect(p.sampler.stats().bufferedSpans).toBe(0);
    p.child(call, 'streamed');
    expect(p.names()).toEqual(['fast-turn', 'slow-turn', 'streamed']);
    call.end();
    expect(p.names()).toContain('call');
  });

  it('drops a call at exactly the threshold and honours a custom threshold', () => {
    const p = pipeline({ keepRatio: 0 });
    const atDefault = p.call();
    atDefault.state.recordFirstAudio(1500);
    atDefault.end();
    expect(p.names()).toEqual([]);

    const strict = pipeline({ keepRatio: 0, firstAudioThresholdMs: 800 });
    const call = strict.call();
    call.state.recordFirstAudio(900);
    call.end();
    expect(strict.names()).toEqual(['call']);
  });

  it('drops an ordinary call at keepRatio 0 and keeps every call at keepRatio 1', () => {
    const none = pipeline({ keepRatio: 0 });
    const a = none.call();
    none.child(a, 'turn', { [TurnAttr.firstAudioMs]: 400 });
    a.end();
    expect(none.names()).toEqual([]);
    expect(none.sampler.stats()).toMatchObject({ bufferedTraces: 0, bufferedSpans: 0 });

    const all = pipeline({ keepRatio: 1 });
    const b = all.call();
    all.child(b, 'turn');
    b.end();
    expect(all.names()).toEqual(['turn', 'call']);
  });

  it('keeps a call matched by a user rule; a throwing rule counts as no match', () => {
    const p = pipeline({
      keepRatio: 0,
      rules: [
        () => {
          throw new Error('bad rule');
        },
        (span) => span.attributes['tenant'] === 'vip',
      ],
    });
    const vip = p.call();
    p.child(vip, 'lookup', { tenant: 'vip' });
    vip.end();
    const other = p.call();
    p.child(other, 'lookup', { tenant: 'free' });
    other.end();
    expect(p.exported().map((s) => s.spanContext().traceId)).toEqual([vip.traceId, vip.traceId]);
  });
});

describe('keeping a fraction by trace id', () => {
  it('matches the collector’s FNV-1a hash and threshold for the same salt and ratio', () => {
    // Vectors computed independently (Python) from the Go definition: FNV-1a 64 over
    // salt ‖ 16 trace id bytes, kept when ≤ ⌊(2^64−1)·ratio⌋.
    const hash = (hex: string) => {
      const bytes = new TextEncoder().encode('default-hash-seed');
      const id = Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
      const [hi, lo] = fnv1a64(new Uint8Array([...bytes, ...id]), 0xcbf29ce4, 0x84222325);
      return ((BigInt(hi) << 32n) | BigInt(lo)).toString(16);
    };
    expect(hash('0af7651916cd43dd8448eb211c80319c')).toBe('33bf83d45f51634c');
    expect(hash('ffffffffffffffffffffffffffffffff')).toBe('17bec3739634fe2d');
    expect(thresholdFor(0.1)).toBe(0x19999999999999ffn);
    expect(thresholdFor(0.5)).toBe(0x7fffffffffffffffn);
    const tenth = traceIdRatio(0.1, 'default-hash-seed');
    expect(tenth('ffffffffffffffffffffffffffffffff')).toBe(true);
    expect(tenth('0af7651916cd43dd8448eb211c80319c')).toBe(false);
    expect(traceIdRatio(0.5, 'default-hash-seed')('0af7651916cd43dd8448eb211c80319c')).toBe(true);
    expect(traceIdRatio(0.5, 'default-hash-seed')('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(false);
  });

  it('keeps about the configured fraction; 0 keeps none, 1 keeps all, garbage ids none', () => {
    const ids = Array.from({ length: 4000 }, randomTraceId);
    const kept = ids.filter(traceIdRatio(0.25, 'default-hash-seed')).length / ids.length;
    expect(kept).toBeGreaterThan(0.2);
    expect(kept).toBeLessThan(0.3);
    expect(traceIdRatio(1, 'x')('0af7651916cd43dd8448eb211c80319c')).toBe(true);
    expect(traceIdRatio(0, 'x')('0af7651916cd43dd8448eb211c80319c')).toBe(false);
    expect(traceIdRatio(0.5, 'x')('0af7651916cd43dd8448eb211c80319g')).toBe(false);
  });

  it('decides alike in two processes: the same trace id gets the same verdict everywhere', () => {
    const a = pipeline({ keepRatio: 0.5 });
    const b = pipeline({ keepRatio: 0.5 });
    const keep = traceIdRatio(0.5, 'default-hash-seed');
    const ids = Array.from({ length: 40 }, randomTraceId);
    for (const id of ids) {
      a.remoteRoot(id).end();
      b.remoteRoot(id).end();
    }
    const keptA = a.exported().map((s) => s.spanContext().traceId);
    const keptB = b.exported().map((s) => s.spanContext().traceId);
    expect(keptA).toEqual(keptB);
    expect(keptA).toEqual(ids.filter(keep));
    expect(keptA.length).toBeGreaterThan(5);
    expect(keptA.length).toBeLessThan(35);
  });

  it('a different salt changes which calls are kept', () => {
    const ids = Array.from({ length: 200 }, randomTraceId);
    const one = ids.filter(traceIdRatio(0.5, 'default-hash-seed'));
    const other = ids.filter(traceIdRatio(0.5, 'another-salt'));
    expect(one).not.toEqual(other);
  });
});

describe('spans after the decision', () => {
  it('forwards spans that end after their call was kept', () => {
    const p = pipeline({ keepRatio: 0 });
    const call = p.call();
    const late = p.open(call, 'late-tool');
    p.child(call, 'failed', {}, true);
    call.end();
    late.end();
    expect(p.names()).toEqual(['failed', 'call', 'late-tool']);
  });

  it('drops spans (even failing ones) that end after their call was dropped', () => {
    const p = pipeline({ keepRatio: 0 });
    const call = p.call();
    const late = p.open(call, 'late-tool');
    call.end();
    late.setStatus({ code: 2 });
    late.end();
    expect(p.names()).toEqual([]);
    expect(p.sampler.stats().bufferedSpans).toBe(0);
  });

  it('treats a span with a remote parent as the local root of its process', () => {
    const p = pipeline({ keepRatio: 0 });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const root = p.remoteRoot(traceId, 'POST /tools/lookup');
    expect(p.sampler.stats().bufferedTraces).toBe(1);
    root.setStatus({ code: 2 });
    root.end();
    expect(p.names()).toEqual(['POST /tools/lookup']);
  });
});

describe('telemetry never breaks the host', () => {
  it('survives a next processor that throws and rejects everywhere', async () => {
    const broken: SpanProcessor = {
      onStart: () => {
        throw new Error('onStart');
      },
      onEnd: () => {
        throw new Error('onEnd');
      },
      forceFlush: () => Promise.reject(new Error('flush')),
      shutdown: () => {
        throw new Error('shutdown');
      },
    };
    const p = pipeline({ keepRatio: 1 }, broken);
    const call = p.call();
    expect(() => p.child(call, 'tool', {}, true)).not.toThrow();
    expect(() => call.end()).not.toThrow();
    await expect(p.sampler.forceFlush()).resolves.toBeUndefined();
    await expect(p.sampler.shutdown()).resolves.toBeUndefined();
  });

  it('survives an exporter that throws, and one that reports failure', async () => {
    const throwing: SpanExporter = {
      export: () => {
        throw new Error('export');
      },
      shutdown: () => Promise.reject(new Error('shutdown')),
    };
    const failing = new InMemorySpanExporter();
    failing.export = (_spans, done) => done({ code: ExportResultCode.FAILED });
    for (const exporter of [throwing, failing]) {
      const p = pipeline({ keepRatio: 1, exporter, next: undefined });
      const call = p.call();
      expect(() => p.child(call, 'tool')).not.toThrow();
      call.end();
      await expect(p.sampler.forceFlush()).resolves.toBeUndefined();
      await expect(p.sampler.shutdown()).resolves.toBeUndefined();
    }
  });
});

describe('forceFlush and shutdown', () => {
  it('forceFlush waits for exports in flight when wrapping an exporter', async () => {
    const exported: ReadableSpan[] = [];
    const slow: SpanExporter = {
      export(spans, done) {
        setTimeout(() => {
          exported.push(...spans);
          done({ code: ExportResultCode.SUCCESS });
        }, 30);
      },
      shutdown: async () => {},
    };
    const p = pipeline({ keepRatio: 0, exporter: slow, next: undefined });
    const call = p.call();
    p.child(call, 'tool', {}, true);
    call.end();
    expect(exported).toHaveLength(0);
    await p.sampler.forceFlush();
    expect(exported.map((s) => s.name)).toEqual(['tool', 'call']);
  });

  it('forceFlush flushes a BatchSpanProcessor behind it', async () => {
    const exporter = new InMemorySpanExporter();
    const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 });
    const p = pipeline({ keepRatio: 1 }, batch);
    const call = p.call();
    p.child(call, 'tool');
    call.end();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await p.sampler.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['tool', 'call']);
  });

  it('shutdown forwards undecided calls marked "shutdown", once, and ignores later spans', async () => {
    const received: ReadableSpan[] = [];
    const recorder: SpanProcessor = {
      onStart() {},
      onEnd: (span) => void received.push(span),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const p = pipeline({ keepRatio: 0 }, recorder);
    const call = p.call();
    p.child(call, 'turn-1');
    p.child(call, 'turn-2');
    expect(received).toHaveLength(0);
    await Promise.all([p.sampler.shutdown(), p.sampler.shutdown()]);
    expect(received.map((s) => s.name)).toEqual(['turn-1', 'turn-2']);
    for (const span of received) {
      expect(span.attributes[SamplingAttr.incomplete]).toBe('shutdown');
      expect(span.spanContext().traceId).toBe(call.traceId);
    }
    p.child(call, 'after-shutdown', {}, true);
    expect(received).toHaveLength(2);
  });
});
