import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Agent, run, setTraceProcessors, setTracingDisabled, tool } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { hasService, SERVICES } from './helpers/services.js';
import { callTracing, startCall } from '../src/index.js';
import { TracedScriptedModel } from '../src/testing/index.js';
import { natsMessageContext, natsTracing } from '../adapters/nats/index.js';

const otel = setupOtel();
const nats = natsTracing({ headers });
const run_id = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const REMOTE_TRACE = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${REMOTE_TRACE}-b7ad6b7169203331-01`;
const available = await hasService('nats');

let client: NatsConnection; // the agent's side
let service: NatsConnection; // the microservice's side

/** Finished spans arrive after the handler's promise settles; wait for them briefly. */
async function spanNamed(name: string, count = 1) {
  for (let i = 0; i < 200 && otel.byName(name).length < count; i++)
    await new Promise((r) => setTimeout(r, 5));
  return otel.byName(name);
}

describe.skipIf(!available)('calltrace/nats (real server)', () => {
  beforeAll(async () => {
    setTracingDisabled(false);
    setTraceProcessors([]);
    client = await connect({ servers: SERVICES.nats });
    service = await connect({ servers: SERVICES.nats });
  });
  beforeEach(() => otel.reset());
  afterAll(async () => {
    await client?.close();
    await service?.close();
    await otel.shutdown();
  });

  it('request/reply from a traced tool: call → execute_tool → send → process, one trace', async () => {
    const subject = `${run_id}.weather`;
    service.subscribe(subject, {
      callback: (_err, msg) =>
        nats.process(msg, (m) => {
          trace.getTracer('weather').startSpan('lookup forecast').end();
          nats.respond(m, JSON.stringify({ sky: 'clear' }));
        }),
    });
    await service.flush();
    const weather = tool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => (await nats.request(client, subject, city)).string(),
    });
    const agent = new Agent({
      name: 'frontdesk',
      tools: [weather],
      model: new TracedScriptedModel([
        [functionCall('get_weather', { city: 'Oslo' }, { callId: 'call_1' })],
        [assistantMessage('clear skies')],
      ]),
    });
    const detach = callTracing().attach(agent);
    const call = startCall({ callId: `nats-${run_id}` });
    try {
      await call.run(() => run(agent, 'weather in Oslo?'));
    } finally {
      call.end();
      detach();
    }
    const [processSpan] = await spanNamed(`process ${subject}`);
    const toolSpan = otel.one('execute_tool get_weather');
    const send = otel.one(`send ${subject}`);
    const lookup = otel.one('lookup forecast');
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([call.traceId]));
    expect(parentOf(send)).toBe(idOf(toolSpan));
    expect(parentOf(processSpan!)).toBe(idOf(send));
    expect(parentOf(lookup)).toBe(idOf(processSpan!));
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(processSpan!.kind).toBe(SpanKind.CONSUMER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': subject,
      'messaging.operation.type': 'send',
    });
    expect(processSpan!.attributes['messaging.operation.type']).toBe('process');
  });

  it('the reply carries the responder’s context back: the send span links to process', async () => {
    const subject = `${run_id}.echo`;
    service.subscribe(subject, {
      callback: (_err, msg) => {
        nats.process(msg, (m) => nats.respond(m, m.data));
      },
    });
    await service.flush();
    const reply = await nats.request(client, subject, 'hi');
    const [processSpan] = await spanNamed(`process ${subject}`);
    const send = otel.one(`send ${subject}`);
    expect(trace.getSpanContext(natsMessageContext(reply))?.spanId).toBe(idOf(processSpan!));
    expect(send.links.map((l) => l.context.spanId)).toEqual([idOf(processSpan!)]);
  });

  it('a pub/sub chain across two connections stays in one trace with the right parents', async () => {
    const first = `${run_id}.order.placed`;
    const second = `${run_id}.order.confirmed`;
    service.subscribe(first, {
      callback: (_err, msg) => nats.process(msg, () => nats.publish(service, second, 'ok')),
    });
    const done = new Promise<void>((resolve) =>
      client.subscribe(second, { callback: (_err, msg) => nats.process(msg, () => resolve()) }),
    );
    await Promise.all([service.flush(), client.flush()]);
    const call = startCall();
    call.run(() => nats.publish(client, first, 'order 42'));
    await done;
    call.end();
    const [p1] = await spanNamed(`process ${first}`);
    const [p2] = await spanNamed(`process ${second}`);
    const s1 = otel.one(`send ${first}`);
    const s2 = otel.one(`send ${second}`);
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([call.traceId]));
    expect(parentOf(s1)).toBe(call.spanId);
    expect(parentOf(p1!)).toBe(idOf(s1));
    expect(parentOf(s2)).toBe(idOf(p1!));
    expect(parentOf(p2!)).toBe(idOf(s2));
  });

  it('a malformed or oversized traceparent header is ignored: fresh trace, no throw', async () => {
    const subject = `${run_id}.garbage`;
    const seen: string[] = [];
    service.subscribe(subject, {
      callback: (_err, msg) => {
        nats.process(msg, () => seen.push(msg.string()));
      },
    });
    await service.flush();
    for (const bad of [
      '00-zz-yy-01',
      `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`,
      'x'.repeat(4000),
    ]) {
      const h = headers();
      h.set('traceparent', bad);
      client.publish(subject, bad.slice(0, 8), { headers: h });
    }
    await client.flush();
    const spans = await spanNamed(`process ${subject}`, 3);
    expect(seen).toHaveLength(3);
    for (const s of spans) {
      expect(s.parentSpanContext).toBeUndefined();
      expect(traceOf(s)).not.toBe('0'.repeat(32));
    }
  });

  it('trustIncoming "link": the process span starts a new trace linked to the sender', async () => {
    const subject = `${run_id}.public`;
    const edge = natsTracing({ headers, trustIncoming: 'link' });
    service.subscribe(subject, { callback: (_err, msg) => edge.process(msg, () => undefined) });
    await service.flush();
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    client.publish(subject, 'x', { headers: h });
    const [span] = await spanNamed(`process ${subject}`);
    expect(traceOf(span!)).not.toBe(REMOTE_TRACE);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.links[0]?.context.traceId).toBe(REMOTE_TRACE);
  });

  it('a handler’s error reaches the caller unchanged and marks the process span ERROR', async () => {
    const boom = new RangeError('no such city');
    const msg = { subject: `${run_id}.local`, headers: headers() };
    expect(() =>
      nats.process(msg, () => {
        throw boom;
      }),
    ).toThrow(boom);
    await expect(nats.process(msg, async () => Promise.reject(boom))).rejects.toBe(boom);
    const spans = await spanNamed(`process ${msg.subject}`, 2);
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
    expect(spans[0]!.attributes['error.type']).toBe('RangeError');
  });

  it('a failed request rejects unchanged and marks the send span ERROR', async () => {
    const subject = `${run_id}.nobody`;
    const error = await nats
      .request(client, subject, 'x', { timeout: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const [send] = await spanNamed(`send ${subject}`);
    expect(send!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('without a headers factory, context rides only on headers the caller passes', async () => {
    const subject = `${run_id}.bare`;
    const bare = natsTracing();
    const got: string[] = [];
    service.subscribe(subject, {
      callback: (_err, msg) => {
        got.push(msg.headers?.get('traceparent') ?? 'none');
      },
    });
    await service.flush();
    bare.publish(client, subject, 'a');
    bare.publish(client, subject, 'b', { headers: headers() });
    await client.flush();
    for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(got[0]).toBe('none');
    expect(got[1]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
