/**
 * A voice call, offline: the real RealtimeSession of the Agents SDK against calltrace's local
 * FakeRealtimeServer, traced by calltrace and printed as a tree.
 *   npx tsx examples/snippets/fake-realtime.ts
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  OpenAIRealtimeWebSocket,
  RealtimeAgent,
  RealtimeSession,
  tool,
} from '@openai/agents-realtime';
import { WebSocket } from 'ws'; // Node 20 has no global WebSocket
import { z } from 'zod';
import {
  callTracing,
  formatTraceTree,
  realtimeSessionTracing,
  startCall,
  tracedRealtimeWebSocket,
} from 'calltrace';
import { FakeRealtimeServer } from 'calltrace/testing';

const memory = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }),
);

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => `Order ${orderId} shipped yesterday.`,
});
const agent = new RealtimeAgent({ name: 'front desk', tools: [lookupOrder] });

async function main() {
  const server = await FakeRealtimeServer.start(); // stands in for api.openai.com
  const call = startCall({ callId: 'CA-offline-1', provider: 'twilio' });
  const session = new RealtimeSession(agent, {
    transport: new OpenAIRealtimeWebSocket({
      createWebSocket: tracedRealtimeWebSocket(call, WebSocket) as never,
    }),
    model: 'gpt-realtime',
    ...realtimeSessionTracing(call),
  });
  call.run(() => callTracing().attach(session));
  const next = server.nextConnection();
  await session.connect({ apiKey: 'offline', url: server.url });
  const model = await next; // the server's side of this session: script what the model does

  await model.callerSpeech({ speechMs: 300 }); // "Where is order 1042?"
  await model.respond({
    toolCalls: [{ name: 'lookup_order', arguments: { orderId: '1042' }, callId: 'call_1' }],
  });
  await model.nextClientEvent('response.create'); // the SDK ran the tool and asks for the answer
  await model.respond({ audioMs: 400, transcript: 'Your order shipped yesterday.' });

  session.close();
  call.end({ reason: 'caller_hangup' });
  await server.close();
  console.log(formatTraceTree(memory.getFinishedSpans()));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
