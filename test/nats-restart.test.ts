import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { startCall } from '../src/call.js';
import { natsTracing } from '../adapters/nats/index.js';
import { skipUnless } from './helpers/skip.js';

const NATS_SERVER = '/usr/sbin/nats-server';
const otel = setupOtel();
const nats = natsTracing({ headers });
const subject = 'restart.echo';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

/** Starts our own nats-server and resolves once it accepts connections. */
async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('nats-server did not start');
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** One traced request from a fresh call; returns the call and the reply's text. */
async function tracedRequest(client: NatsConnection) {
  const call = startCall();
  const reply = await call.run(() => nats.request(client, subject, 'ping', { timeout: 2000 }));
  call.end();
  return { call, text: reply.string() };
}

const servers: ChildProcess[] = [];
const connections: NatsConnection[] = [];

const hasNatsServer = skipUnless(
  existsSync(NATS_SERVER),
  `nats-server not found at ${NATS_SERVER}`,
);
describe.skipIf(!hasNatsServer)('calltrace/nats across a server restart', () => {
  afterAll(async () => {
    for (const c of connections) await c.close().catch(() => undefined);
    for (const s of servers) await stopServer(s);
    await otel.shutdown();
  });

  it('propagation resumes once both connections have reconnected', async () => {
    const port = await freePort();
    servers.push(await startServer(port));
    const opts = {
      servers: `nats://127.0.0.1:${port}`,
      reconnectTimeWait: 50,
      maxReconnectAttempts: -1,
    };
    const client = await connect(opts);
    const service = await connect(opts);
    connections.push(client, service);
    service.subscribe(subject, {
      callback: (_err, msg) => {
        nats.process(msg, (m) => nats.respond(m, 'pong'));
      },
    });
    await service.flush();
    expect((await tracedRequest(client)).text).toBe('pong');

    const reconnected = (nc: NatsConnection) =>
      (async () => {
        for await (const s of nc.status()) if (s.type === 'reconnect') return;
      })();
    const both = Promise.all([reconnected(client), reconnected(service)]);
    await stopServer(servers[0]!);
    servers.push(await startServer(port));
    await both;
    await service.flush(); // the subscription is re-sent on reconnect
    otel.reset();

    const { call, text } = await tracedRequest(client);
    expect(text).toBe('pong');
    const send = otel.one(`send ${subject}`);
    const processed = otel.byName(`process ${subject}`);
    expect(processed).toHaveLength(1);
    expect(traceOf(processed[0]!)).toBe(call.traceId);
    expect(parentOf(processed[0]!)).toBe(idOf(send));
    expect(parentOf(send)).toBe(call.spanId);
  });
});
