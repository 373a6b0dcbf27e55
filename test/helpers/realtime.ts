import { RealtimeAgent, RealtimeSession, tool } from '@openai/agents-realtime';
import { trace } from '@opentelemetry/api';
import { z } from 'zod';
import { FakeRealtimeServer, type FakeRealtimeConnection } from '../../src/testing/index.js';
import { callTracing, startCall, type CallHandle, type StartCallOptions } from '../../src/index.js';

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fresh Realtime tools per test; `lookup_order` runs `toolMs` and opens a child span. */
export function realtimeTools(toolMs = 30) {
  return {
    lookupOrder: tool({
      name: 'lookup_order',
      description: 'Find an order',
      parameters: z.object({ orderId: z.string() }),
      execute: async ({ orderId }) => {
        const span = trace.getTracer('tool-service').startSpan('GET /orders/:id');
        await wait(toolMs);
        span.end();
        return `order ${orderId}: shipped`;
      },
    }),
    failing: tool({
      name: 'charge_card',
      description: 'Always fails',
      parameters: z.object({ amount: z.number() }),
      execute: async () => {
        throw new Error('card declined');
      },
    }),
    slow: tool({
      name: 'slow_lookup',
      description: 'Takes a while',
      parameters: z.object({}),
      execute: async () => {
        await wait(400);
        return 'done';
      },
    }),
  };
}

export interface VoiceCall {
  server: FakeRealtimeServer;
  conn: FakeRealtimeConnection;
  session: RealtimeSession;
  call: CallHandle;
  plugin: ReturnType<typeof callTracing>;
  detach: () => void;
  /** Closes session and server; ends the call if still open. */
  finish(): Promise<void>;
}

/** A real RealtimeSession on the fake server, traced inside a call. */
export async function startVoiceCall(
  agent: RealtimeAgent,
  opts: { call?: StartCallOptions; session?: Record<string, unknown> } = {},
): Promise<VoiceCall> {
  const server = await FakeRealtimeServer.start();
  const plugin = callTracing();
  const call = startCall({ callId: 'voice-1', provider: 'twilio', ...opts.call });
  const session = new RealtimeSession(agent, {
    transport: 'websocket',
    model: 'gpt-realtime',
    ...opts.session,
  });
  const detach = call.run(() => plugin.attach(session));
  const connection = server.nextConnection();
  await session.connect({ apiKey: 'test-key', url: server.url });
  const conn = await connection;
  await conn.nextClientEvent('session.update');
  return {
    server,
    conn,
    session,
    call,
    plugin,
    detach,
    async finish() {
      await wait(30); // let the SDK read what the server sent last
      session.close();
      await wait(20);
      call.end();
      detach();
      await server.close();
    },
  };
}

export { RealtimeAgent };
