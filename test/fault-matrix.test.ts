/**
 * The fault matrix: every public entry point on the host's path × every fault a user's
 * OpenTelemetry setup can throw at calltrace. For each pair the host's result is the one it
 * gets with a healthy pipeline, nothing is left unhandled, and the fault is counted (or, for
 * the exporter, handled by the SDK) and printed at most once. Generated: a new entry point
 * is one line in ENTRIES (see ./fault-matrix/entries.ts), a new fault one line in FAULTS.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { trace, type TracerProvider } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setTraceProcessors, setTracingDisabled } from '@openai/agents';
import { setupOtel } from './helpers/otel.js';
import { FaultyProcessor, watchProcess } from './helpers/faults.js';
import { hasService } from './helpers/services.js';
import { telemetryFaults } from '../src/safe.js';
import { FaultyExporter, SlotProcessor } from './fault-matrix/pipeline.js';
import { closeEntries, ENTRIES, type Env } from './fault-matrix/entries.js';

const faulty = new FaultyProcessor();
const exporter = new FaultyExporter();
const slot = new SlotProcessor();
const otel = setupOtel([faulty, new SimpleSpanProcessor(exporter), slot]);
const proc = watchProcess();
let sdkErrors = 0;
let noticesPrinted = 0;
const stderrWrite = process.stderr.write.bind(process.stderr);

/** Faults fired in this case: the ones calltrace must then count (or the SDK report). */
let fired = 0;
const throwing = () => {
  fired++;
  throw new Error('injected fault');
};
/** The host's own tracers keep working: only calltrace's are broken. */
const ours = (name: string) => name === 'calltrace';
const badGetTracer = {
  getTracer: (name: string, ...rest: string[]) =>
    ours(name) ? throwing() : otel.provider.getTracer(name, ...rest),
} as TracerProvider;
const badStartSpan = {
  getTracer: (name: string, ...rest: string[]) =>
    ours(name)
      ? { startSpan: throwing, startActiveSpan: throwing }
      : otel.provider.getTracer(name, ...rest),
} as unknown as TracerProvider;
const oursOnly = (_span: string, scope: string) => ours(scope);

function useGlobalProvider(provider: TracerProvider) {
  trace.disable();
  trace.setGlobalTracerProvider(provider);
}

interface Fault {
  install(): void;
  /** The host's user hook throws (only for entries that take one). */
  hook?: true;
  /** A hang is not an error: nothing to count, only to survive. */
  uncounted?: true;
}

const FAULTS: Record<string, Fault> = {
  'span processor throws in onStart': { install: () => (faulty.onStartFault = oursOnly) },
  'span processor throws in onEnd': { install: () => (faulty.onEndFault = oursOnly) },
  'getTracer throws': { install: () => useGlobalProvider(badGetTracer) },
  'startSpan throws': { install: () => useGlobalProvider(badStartSpan) },
  'exporter throws': { install: () => (exporter.mode = 'throw') },
  'exporter hangs': { install: () => (exporter.mode = 'hang'), uncounted: true },
  'user hook throws': { install: () => undefined, hook: true },
};

function healthy() {
  faulty.reset();
  exporter.release();
  slot.inner = undefined;
  useGlobalProvider(otel.provider);
}

const services = {
  nats: await hasService('nats'),
  redis: await hasService('redis'),
};

beforeAll(() => {
  setTracingDisabled(false);
  setTraceProcessors([]);
  setGlobalErrorHandler(() => void sdkErrors++);
  proc.install();
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (String(chunk).startsWith('calltrace: telemetry failed')) noticesPrinted++;
    return (stderrWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
});
afterEach(() => healthy());
afterAll(async () => {
  process.stderr.write = stderrWrite;
  proc.uninstall();
  healthy();
  await closeEntries();
  await otel.shutdown();
});

const cleanEnv: Env = { hook: (fn) => fn, slot };
const hookEnv: Env = { hook: () => throwing as never, slot };
const baselines = new Map<string, Promise<unknown>>();

const entries = ENTRIES.filter((e) => !e.needs || services[e.needs]);
const cases = entries.flatMap((e) =>
  Object.entries(FAULTS)
    .filter(([, f]) => !f.hook || e.hook)
    .map(([fault, f]) => ({ entry: e, fault, f })),
);

describe(`fault matrix: ${entries.length} entry points × ${Object.keys(FAULTS).length} faults (${cases.length} cases)`, () => {
  it.each(cases)(
    '$entry.name — $fault: same result, nothing unhandled',
    async ({ entry, f }) => {
      if (!baselines.has(entry.name)) baselines.set(entry.name, entry.run(cleanEnv));
      const expected = await baselines.get(entry.name);
      proc.clear();
      const [faultsBefore, sdkBefore] = [telemetryFaults(), sdkErrors];
      fired = 0;
      f.install();
      const got = await entry.run(f.hook ? hookEnv : cleanEnv);
      await proc.settle();
      fired += faulty.thrown + exporter.thrown;
      healthy();
      expect(got).toEqual(expected);
      expect(proc.rejections).toEqual([]);
      expect(proc.uncaught).toEqual([]);
      // A fault that reached calltrace is counted by it (or, for exporters, reported by the SDK).
      if (!f.uncounted && fired > 0)
        expect(telemetryFaults() - faultsBefore + (sdkErrors - sdkBefore)).toBeGreaterThan(0);
      expect(noticesPrinted).toBeLessThanOrEqual(1);
    },
    60_000,
  ); // the embedded index boots PGlite on first use: slow on a loaded machine
});
