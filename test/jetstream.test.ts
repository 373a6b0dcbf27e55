import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { hasService, SERVICES } from './helpers/services.js';
import { startCall } from '../src/call.js';
import { natsTracing } from '../adapters/nats/index.js';

const otel = setupOtel();
const nats = natsTracing({ headers });
const id = `js${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const stream = `CALLTRACE_${id}`;
const subject = `${id}.jobs`;
const available = await hasService('nats');

let nc: NatsConnection;
let jsm: JetStreamManager;

describe.skipIf(!available)('calltrace/nats with JetStream (real server)', () => {
  beforeAll(async () => {
    nc = await connect({ servers: SERVICES.nats });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${id}.>`] });
    await jsm.consumers.add(stream, { durable_name: 'worker', ack_policy: 'explicit' });
  });
  beforeEach(() => otel.reset());
  afterAll(async () => {
    await jsm?.streams.delete(stream).catch(() => undefined);
    await nc?.close();
    await otel.shutdown();
  });

  it('a JetStream publish and a consumer’s processing share the call’s trace', async () => {
    const js = jetstream(nc);
    const call = startCall();
    const ack = await call.run(() => nats.jetstreamPublish(js, subject, 'after-hours callback'));
    call.end();
    expect(ack.stream).toBe(stream);

    const consumer = await js.consumers.get(stream, 'worker');
    const msg = await consumer.next({ expires: 2000 });
    expect(msg).not.toBeNull();
    await nats.process(msg!, async (m) => {
      m.ack();
    });

    const send = otel.one(`send ${subject}`);
    const processed = otel.one(`process ${subject}`);
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([call.traceId]));
    expect(parentOf(send)).toBe(call.spanId);
    expect(parentOf(processed)).toBe(idOf(send));
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.attributes['messaging.destination.name']).toBe(subject);
  });

  it('a redelivered message is processed again in the same trace', async () => {
    const js = jetstream(nc);
    await jsm.consumers.add(stream, {
      durable_name: 'retry',
      filter_subject: `${id}.retry`,
      ack_policy: 'explicit',
      ack_wait: 1e9 * 60,
    });
    const call = startCall();
    await call.run(() => nats.jetstreamPublish(js, `${id}.retry`, 'x'));
    call.end();
    const consumer = await js.consumers.get(stream, 'retry');
    const first = await consumer.next({ expires: 2000 });
    await nats.process(first!, async (m) => m.nak());
    const second = await consumer.next({ expires: 2000 });
    expect(second?.redelivered).toBe(true);
    await nats.process(second!, async (m) => m.ack());
    const send = otel.one(`send ${id}.retry`);
    const attempts = otel.byName(`process ${id}.retry`);
    expect(attempts).toHaveLength(2);
    for (const a of attempts) {
      expect(traceOf(a)).toBe(call.traceId);
      expect(parentOf(a)).toBe(idOf(send));
    }
  });
});
