/**
 * NATS request/reply throughput over loopback (the shared server at NATS_URL or 127.0.0.1:4222),
 * 20 requests in flight per operation (so the figure is CPU per request, not loopback latency):
 * - bare: `nc.request` answered by `msg.respond`;
 * - traced: calltrace/nats (`send` span + headers, `process` span, reply carries context back);
 * - hand-written: a PRODUCER span, inject into headers, extract, a CONSUMER span,
 *   `context.with`, and the same back in the reply's headers — nothing else;
 * - one-way: calltrace with `replyContext: false` against the hand-written code without the
 *   reply headers.
 * Targets: traced ≥ 0.9x the hand-written throughput of the same work (time ratio ≤ 1.111).
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { connect, headers, type Msg, type MsgHdrs } from '@nats-io/transport-node';
import { natsTracing } from '../adapters/nats/index.js';
import { measure, report, type Case, type Result } from './harness.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const client = await connect({ servers: url });
const service = await connect({ servers: url });
const id = `bench${Date.now().toString(36)}`;
const nats = natsTracing({ headers });
const oneWay = natsTracing({ headers, replyContext: false });
const tracer = trace.getTracer('hand-written');
const getter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (h) => (h ? h.keys() : []),
  get: (h, k) => h?.get(k) || undefined,
};
const setter: TextMapSetter<MsgHdrs> = { set: (h, k, v) => h.set(k, v) };

service.subscribe(`${id}.bare`, { callback: (_e, msg) => void msg.respond('ok') });
service.subscribe(`${id}.traced`, {
  callback: (_e, msg) => {
    nats.process(msg, (m) => nats.respond(m, 'ok'));
  },
});
/** The hand-written responder; `back` also puts its context in the reply's headers. */
const handResponder = (back: boolean) => (_e: unknown, msg: Msg) => {
  const parent = propagation.extract(ROOT_CONTEXT, msg.headers, getter);
  const span = tracer.startSpan(`process ${msg.subject}`, { kind: SpanKind.CONSUMER }, parent);
  const ctx = trace.setSpan(parent, span);
  context.with(ctx, () => {
    if (!back) return msg.respond('ok');
    const h = headers();
    propagation.inject(ctx, h, setter);
    return msg.respond('ok', { headers: h });
  });
  span.end();
};
service.subscribe(`${id}.hand`, { callback: handResponder(true) });
service.subscribe(`${id}.hand1`, { callback: handResponder(false) });
service.subscribe(`${id}.oneway`, {
  callback: (_e, msg) => {
    oneWay.process(msg, (m) => oneWay.respond(m, 'ok'));
  },
});
await service.flush();

/** The hand-written requester; `back` also reads the reply's context (as a link would need). */
async function handRequest(subject: string, back: boolean) {
  const span = tracer.startSpan(`send ${subject}`, { kind: SpanKind.PRODUCER });
  const h = headers();
  propagation.inject(trace.setSpan(context.active(), span), h, setter);
  const reply = await client.request(subject, 'hi', { timeout: 5000, headers: h });
  if (back) trace.getSpanContext(propagation.extract(ROOT_CONTEXT, reply.headers, getter));
  span.end();
  return reply;
}

const IN_FLIGHT = 20;
const burst = (one: () => Promise<unknown>) => () =>
  Promise.all(Array.from({ length: IN_FLIGHT }, one));

// Each operation runs inside an active span, as a tool's execute_tool span would be.
const root = tracer.startSpan('execute_tool bench');
const inTool = trace.setSpan(ROOT_CONTEXT, root);
const cases: Case[] = [
  { name: 'bare', fn: burst(() => client.request(`${id}.bare`, 'hi', { timeout: 5000 })) },
  {
    name: 'traced',
    fn: burst(() => nats.request(client, `${id}.traced`, 'hi', { timeout: 5000 })),
  },
  { name: 'hand-written', fn: burst(() => handRequest(`${id}.hand`, true)) },
  {
    name: 'traced one-way',
    fn: burst(() => oneWay.request(client, `${id}.oneway`, 'hi', { timeout: 5000 })),
  },
  { name: 'hand-written one-way', fn: burst(() => handRequest(`${id}.hand1`, false)) },
];
// Order matters on a loaded machine (a case right after another inherits its GC and socket
// backlog): rotate the order every round and take each case's median.
const ROUNDS = 9;
const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = cases.map((_c, i) => cases[(i + round) % cases.length]!);
  const measured = await context.with(inTool, () =>
    measure(order, { iterations: 100, rounds: 1, warmup: round === 0 ? 2 : 0 }),
  );
  for (const m of measured) samples.get(m.name)!.push(m.nsPerOp);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const results: Result[] = cases.map((c) => ({
  name: c.name,
  nsPerOp: median(samples.get(c.name)!),
}));
root.end();
const [bare, traced, hand, traced1, hand1] = results as [Result, Result, Result, Result, Result];
const ops = (r: typeof bare) => ((1e9 * IN_FLIGHT) / r.nsPerOp).toFixed(0);
console.log(
  `requests/s: bare ${ops(bare)}, traced ${ops(traced)}, hand-written ${ops(hand)}, ` +
    `traced one-way ${ops(traced1)}, hand-written one-way ${ops(hand1)}`,
);
report('NATS request/reply', traced, hand, { max: 1.111 });
report('NATS request/reply', traced1, hand1, { max: 1.111 });
report('NATS request/reply', traced, bare);
report('NATS request/reply', hand, bare);
await client.close();
await service.close();
