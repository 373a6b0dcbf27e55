/**
 * calltrace quickstart: one call, its trace, and the call found again by the caller's number.
 * Offline by default (a scripted model); set OPENAI_API_KEY to run the same agent on OpenAI.
 *   npx tsx quickstart.ts        then        npx calltrace lookup +15550100100
 * No top-level await, so it also runs in a CommonJS project (`npm init -y`).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Agent, run, setTraceProcessors, tool } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { z } from 'zod';
import { callTracing, formatTraceTree, startCall, withUse } from 'calltrace';
import { createCallIndex } from 'calltrace/store';
import { TracedScriptedModel } from 'calltrace/testing';

const online = Boolean(process.env.OPENAI_API_KEY);

// 1. OpenTelemetry as usual: a context manager, the W3C propagator (it carries the call to
//    your tool services) and a tracer provider with your exporter (OTLP over HTTP to your
//    collector, when OTEL_EXPORTER_OTLP_ENDPOINT is set). Two more processors: the call index
//    (so `npx calltrace lookup <number>` finds the call) and memory (to print the tree below).
const index = createCallIndex({ dataDir: '.calltrace/index' });
const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  spanProcessors: [
    index.spanProcessor,
    new SimpleSpanProcessor(memory),
    ...(process.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? [new BatchSpanProcessor(new OTLPTraceExporter())]
      : []),
  ],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
if (!online) setTraceProcessors([]); // offline: nothing is sent to OpenAI's trace dashboard

// 2. The agent, with calltrace attached. Offline, a scripted model answers: it asks for the
//    tool, then speaks. TracedScriptedModel opens the same `chat` spans an OpenAI model does.
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => `Order ${orderId} shipped yesterday.`,
});
const model = online
  ? 'gpt-4.1-mini'
  : new TracedScriptedModel([
      [functionCall('lookup_order', { orderId: '1042' }, { callId: 'call_lookup_1' })],
      [assistantMessage('Your order 1042 shipped yesterday.')],
    ]);
const agent = withUse(
  new Agent({ name: 'front desk', instructions: 'Help with orders.', tools: [lookupOrder], model }),
).use(callTracing());

// 3. One call: open it, run the agent inside it, end it.
async function main() {
  const from = '+15550100100';
  const to = '+15550109999';
  const call = startCall({ callId: 'CA-quickstart-1', from, to, provider: 'twilio' });
  index.track(call, { from, to }); // the root span keeps the caller only masked
  try {
    const result = await call.run(() => run(agent, 'Where is order 1042?'));
    console.log(`agent: ${result.finalOutput}\n`);
    call.end();
  } catch (error) {
    call.end({ error });
    throw error;
  } finally {
    // 4. The whole call as one trace; then shutdown, which also writes the index and closes it.
    await provider.forceFlush();
    console.log(
      formatTraceTree(memory.getFinishedSpans(), { showAttributes: ['gen_ai.tool.call.id'] }),
    );
    await provider.shutdown();
  }
  console.log(`\nFind this call again: npx calltrace lookup ${from}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
