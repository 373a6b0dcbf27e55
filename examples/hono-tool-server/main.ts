/**
 * Offline, end to end: a traced call whose agent's tool calls the Hono tool service over
 * HTTP. Prints the trace: the service's spans hang under `execute_tool lookup_order`.
 *
 *   npx tsx examples/hono-tool-server/main.ts
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Agent, run, setTraceProcessors, setTracingDisabled, tool } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { z } from 'zod';
import { callTracing, formatTraceTree, startCall } from 'calltrace';
import { tracedFetch } from 'calltrace/fetch';
import { TracedScriptedModel } from 'calltrace/testing';
import { setupTracing } from './otel.js';
import { createOrderService } from './tool-service.js';

const exporter = setupTracing();
setTracingDisabled(false);
setTraceProcessors([]); // offline: no export to OpenAI

// The tool service, on a free loopback port (another process in real life).
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: createOrderService().fetch, port: 0, hostname: '127.0.0.1' }, () =>
    resolve(s),
  );
});
const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The agent's tool: tracedFetch carries the call's context (traceparent) to the service.
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => (await tracedFetch(`${serviceUrl}/orders/${orderId}`)).text(),
});
const agent = new Agent({
  name: 'front desk',
  tools: [lookupOrder],
  // A scripted model stands in for OpenAI: it asks for the tool once, then answers.
  model: new TracedScriptedModel([
    [functionCall('lookup_order', { orderId: '42' }, { callId: 'call_lookup' })],
    [assistantMessage('Your order shipped yesterday.')],
  ]),
});

const detach = callTracing().attach(agent);
const call = startCall({ callId: 'example-call' });
const result = await call.run(() => run(agent, 'Where is order 42?'));
call.end();
detach();
server.close();

console.log(`agent said: ${result.finalOutput}\n`);
console.log(
  formatTraceTree(exporter.getFinishedSpans(), {
    showAttributes: ['http.route', 'http.response.status_code'],
  }),
);
