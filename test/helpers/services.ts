import net from 'node:net';
import { skipUnless } from './skip.js';

/**
 * Tests that need a real service find it at its loopback default or an env URL. Absent:
 * skipped with a printed notice — except under CI=true, where absence fails the run.
 */
export const SERVICES = {
  postgres: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
} as const;

export type ServiceName = keyof typeof SERVICES;

function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Resolves to true when the service answers. Use with `describe.skipIf(!(await hasService(...)))`.
 * Under CI=true a missing service throws, failing the file instead of skipping it.
 */
export async function hasService(name: ServiceName): Promise<boolean> {
  const url = SERVICES[name];
  if (await reachable(url)) return true;
  return skipUnless(false, `${name} not reachable at ${url}`);
}
