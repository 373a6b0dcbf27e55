import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import { Queue, Worker, type Job, type Processor, type Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { hasService, SERVICES } from './helpers/services.js';
import { startCall } from '../src/call.js';
import { bullmqTelemetry, jobContext, jobTelemetry } from '../adapters/bullmq/index.js';

const otel = setupOtel();
const available = await hasService('redis');
const { hostname, port } = new URL(SERVICES.redis);
const connection = { host: hostname, port: Number(port), maxRetriesPerRequest: null };
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let n = 0;
const opened: { close(): Promise<void> }[] = [];
const queues: Queue[] = [];

function queue(name: string, telemetry?: Telemetry) {
  const q = new Queue(name, { connection, telemetry });
  queues.push(q);
  return q;
}

/** A worker on `name`; resolves `done` with the job once it completes. */
function worker(name: string, processor: Processor, telemetry?: Telemetry) {
  const w = new Worker(name, processor, { connection, telemetry });
  opened.push(w);
  const done = new Promise<Job>((resolve) => w.on('completed', (job) => resolve(job)));
  return { w, done };
}

/** bullmq ends its `process` span just after the `completed` event. */
async function spansNamed(name: string, count = 1) {
  for (let i = 0; i < 200 && otel.byName(name).length < count; i++)
    await new Promise((r) => setTimeout(r, 5));
  return otel.byName(name);
}

describe.skipIf(!available)('calltrace/bullmq (real Redis)', () => {
  let name = '';
  beforeEach(() => {
    otel.reset();
    name = `calltrace-${runId}-${++n}`;
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    for (const q of queues.splice(0)) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
  });
  afterAll(() => otel.shutdown());

  it('the worker’s process span is a child of the producer’s add span, in the call’s trace', async () => {
    const telemetry = bullmqTelemetry();
    const { done } = worker(
      name,
      async () => trace.getTracer('jobs').startSpan('send callback sms').end(),
      telemetry,
    );
    const call = startCall();
    await call.run(() => queue(name, telemetry).add('callback', { at: '09:00' }));
    call.end();
    await done;
    const [processed] = await spansNamed(`process ${name}`);
    const add = otel.one(`add ${name}.callback`);
    const inner = otel.one('send callback sms');
    expect(traceOf(add)).toBe(call.traceId);
    expect(parentOf(add)).toBe(call.spanId);
    expect(parentOf(processed!)).toBe(idOf(add));
    expect(parentOf(inner)).toBe(idOf(processed!));
    expect(add.kind).toBe(SpanKind.PRODUCER);
    expect(processed!.kind).toBe(SpanKind.CONSUMER);
    expect(processed!.attributes['messaging.system']).toBe('bullmq');
  });

  it('retries stay in the same trace: every attempt is a child of the add span', async () => {
    const telemetry = bullmqTelemetry();
    const { done } = worker(
      name,
      async (job) => {
        if (job.attemptsMade < 2) throw new Error(`attempt ${job.attemptsMade} failed`);
      },
      telemetry,
    );
    const call = startCall();
    await call.run(() => queue(name, telemetry).add('flaky', {}, { attempts: 3 }));
    call.end();
    const job = await done;
    expect(job.attemptsMade).toBe(3);
    const attempts = await spansNamed(`process ${name}`, 3);
    const add = otel.one(`add ${name}.flaky`);
    expect(attempts).toHaveLength(3);
    for (const a of attempts) {
      expect(traceOf(a)).toBe(call.traceId);
      expect(parentOf(a)).toBe(idOf(add));
    }
    expect(attempts.filter((a) => a.events.some((e) => e.name === 'job failed'))).toHaveLength(2);
  });

  it('interoperates: produced with calltrace, consumed by a bullmq-otel worker', async () => {
    const { done } = worker(name, async () => undefined, new BullMQOtel());
    const call = startCall();
    await call.run(() => queue(name, bullmqTelemetry()).add('a', {}));
    call.end();
    await done;
    const [processed] = await spansNamed(`process ${name}`);
    expect(parentOf(processed!)).toBe(idOf(otel.one(`add ${name}.a`)));
    expect(traceOf(processed!)).toBe(call.traceId);
  });

  it('interoperates: produced with bullmq-otel, consumed by a calltrace worker', async () => {
    const { done } = worker(name, async () => undefined, bullmqTelemetry());
    const call = startCall();
    await call.run(() => queue(name, new BullMQOtel()).add('b', {}));
    call.end();
    await done;
    const [processed] = await spansNamed(`process ${name}`);
    expect(parentOf(processed!)).toBe(idOf(otel.one(`add ${name}.b`)));
    expect(traceOf(processed!)).toBe(call.traceId);
  });

  it('jobTelemetry() carries the context from a queue without telemetry', async () => {
    let seen = '';
    const { done } = worker(
      name,
      async (job) => {
        seen = trace.getSpanContext(jobContext(job))?.spanId ?? '';
      },
      bullmqTelemetry(),
    );
    const call = startCall();
    await call.run(() => queue(name).add('plain', {}, { telemetry: jobTelemetry() }));
    call.end();
    await done;
    const [processed] = await spansNamed(`process ${name}`);
    expect(parentOf(processed!)).toBe(call.spanId);
    expect(seen).toBe(call.spanId);
  });

  it('garbage metadata never fails the job: the process span starts a fresh trace', async () => {
    const bad = [
      'not json',
      '[1,2]',
      JSON.stringify({ traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` }),
      JSON.stringify({
        traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
        pad: 'x'.repeat(5000),
      }),
    ];
    const completed: string[] = [];
    const { w } = worker(name, async (job) => job.name, bullmqTelemetry());
    const all = new Promise<void>((resolve) =>
      w.on('completed', (job) => completed.push(job.name) === bad.length && resolve()),
    );
    const q = queue(name);
    for (const [i, metadata] of bad.entries())
      await q.add(`bad${i}`, {}, { telemetry: { metadata } });
    await all;
    const spans = await spansNamed(`process ${name}`, bad.length);
    expect(completed.sort()).toEqual(['bad0', 'bad1', 'bad2', 'bad3']);
    for (const s of spans) {
      expect(s.parentSpanContext).toBeUndefined();
      expect(traceOf(s)).not.toBe('a'.repeat(32));
    }
  });
});
