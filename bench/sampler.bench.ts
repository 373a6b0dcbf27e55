/**
 * The cost of the tail sampler (`npm run bench -- sampler`).
 * 1. Spans per second through callTailSampler → BatchSpanProcessor against a plain
 *    BatchSpanProcessor, both exporting to the same no-op exporter. Target ≥ 0.8x.
 * 2. Heap with 10,000 concurrent calls of 200 spans each, with the default bounds, against the
 *    same load through a plain BatchSpanProcessor.
 */
import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { TurnAttr } from '../src/attributes.js';
import { startCall, type CallHandle } from '../src/call.js';
import { callTailSampler, type CallTailSampler } from '../src/sampler/index.js';
import { formatNs, measure } from './harness.js';

const noopExporter: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
const batch = () => new BatchSpanProcessor(noopExporter);
const yieldToTimers = () => new Promise((resolve) => setImmediate(resolve));

function pipeline(processor: SpanProcessor) {
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { provider, tracer: provider.getTracer('bench') };
}

/** One call of 20 spans: root, 12 turns, 7 tool spans; 1 call in 100 has a failing tool. */
function oneCall(p: ReturnType<typeof pipeline>, n: number): void {
  const call = startCall({ tracerProvider: p.provider });
  for (let i = 0; i < 19; i++) {
    const span = p.tracer.startSpan(
      i % 3 === 2 ? 'execute_tool' : 'invoke_agent',
      {},
      call.context,
    );
    if (i % 3 !== 2) span.setAttribute(TurnAttr.firstAudioMs, 600 + i);
    else if (n % 100 === 0 && i === 2) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
  call.end();
}

// --- 1. throughput ------------------------------------------------------------------------
const plain = pipeline(batch());
const sampled = pipeline(callTailSampler({ next: batch() }));
let n = 0;
const callsPerOp = 50; // 1,000 spans, then a yield so the batch processors can export
const op = (p: ReturnType<typeof pipeline>) => async () => {
  for (let i = 0; i < callsPerOp; i++) oneCall(p, n++);
  await yieldToTimers();
};
const [viaSampler, viaBatch] = await measure(
  [
    { name: 'callTailSampler→BatchSpanProcessor', fn: op(sampled) },
    { name: 'BatchSpanProcessor', fn: op(plain) },
  ],
  { iterations: 40, rounds: 7, warmup: 2 },
);
const spansPerOp = callsPerOp * 20;
const rate = (nsPerOp: number) => Math.round((spansPerOp * 1e9) / nsPerOp);
const ratio = rate(viaSampler!.nsPerOp) / rate(viaBatch!.nsPerOp);
console.log(
  `throughput: ${viaSampler!.name} ${rate(viaSampler!.nsPerOp).toLocaleString('en')} spans/s ` +
    `(${formatNs(viaSampler!.nsPerOp / spansPerOp)}/span) vs ${viaBatch!.name} ` +
    `${rate(viaBatch!.nsPerOp).toLocaleString('en')} spans/s ` +
    `(${formatNs(viaBatch!.nsPerOp / spansPerOp)}/span) = ${ratio.toFixed(3)}x (target ≥ 0.8x)` +
    (ratio >= 0.8 ? '  ok' : '  MISSED'),
);
await plain.provider.shutdown();
await sampled.provider.shutdown();

// --- 2. heap with 10,000 concurrent calls of 200 spans --------------------------------------
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const CALLS = 10_000;
const SPANS = 200;
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function heapUnderLoad(processor: SpanProcessor, atPeak = () => {}) {
  const p = pipeline(processor);
  await yieldToTimers();
  gc();
  const before = process.memoryUsage().heapUsed;
  const calls: CallHandle[] = Array.from({ length: CALLS }, () =>
    startCall({ tracerProvider: p.provider }),
  );
  // Interleaved: every call is live while all of them produce spans.
  for (let round = 1; round < SPANS; round++) {
    for (const call of calls) childOf(p.tracer, call).end();
    await yieldToTimers();
  }
  gc();
  const peak = process.memoryUsage().heapUsed - before;
  atPeak();
  for (const call of calls) call.end();
  calls.length = 0;
  await yieldToTimers();
  gc();
  const after = process.memoryUsage().heapUsed - before;
  await p.provider.shutdown();
  return { peak, after };
}

const childOf = (tracer: Tracer, call: CallHandle): Span =>
  tracer.startSpan('invoke_agent', { attributes: { [TurnAttr.firstAudioMs]: 700 } }, call.context);

const sampler: CallTailSampler = callTailSampler({ next: batch() });
let stats = sampler.stats();
const withSampler = await heapUnderLoad(sampler, () => (stats = sampler.stats()));
const withoutSampler = await heapUnderLoad(batch());
console.log(
  `heap, ${CALLS.toLocaleString('en')} concurrent calls × ${SPANS} spans: callTailSampler ` +
    `${MB(withSampler.peak)} at peak (${MB(withSampler.after)} after the calls end) vs ` +
    `BatchSpanProcessor ${MB(withoutSampler.peak)} (${MB(withoutSampler.after)}); ` +
    `bounds maxTraces 5,000, maxSpansPerTrace 500, maxBufferedSpans 50,000 (defaults)`,
);
console.log(`sampler at the peak: ${JSON.stringify(stats)} (evictedSpans: what the bounds shed)`);
