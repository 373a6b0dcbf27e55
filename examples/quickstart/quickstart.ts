/**
 * The README's 5-minute quickstart, whole and compiling (it is typechecked with the repo).
 * Needs OPENAI_API_KEY:  OPENAI_API_KEY=sk-… npx tsx examples/quickstart/quickstart.ts
 */
// 1. OpenTelemetry as usual: context manager, W3C propagator, a tracer provider + exporter.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
} from '@opentelemetry/sdk-trace-base';
// 2. The agent, with calltrace attached.
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { callTracing, startCall, W3CTraceContextLevel2Propagator, withUse } from 'calltrace';
import { tracedFetch } from 'calltrace/fetch';

const provider = new BasicTracerProvider({
  // In production: new BatchSpanProcessor(new OTLPTraceExporter()) from
  // @opentelemetry/exporter-trace-otlp-http, pointed at your collector.
  spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextLevel2Propagator());
trace.setGlobalTracerProvider(provider);

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: z.object({ orderId: z.string() }),
  // Runs inside its `execute_tool` span: tracedFetch carries the call's trace to the service.
  execute: async ({ orderId }) => {
    const url = process.env.ORDER_SERVICE_URL;
    if (!url) return `Order ${orderId} shipped yesterday.`;
    return (await tracedFetch(`${url}/orders/${orderId}`)).text();
  },
});
const billing = new Agent({ name: 'billing', instructions: 'Handle payments.' });
const agent = withUse(
  new Agent({
    name: 'front desk',
    instructions: 'Help with orders.',
    tools: [lookupOrder],
    handoffs: [billing],
  }),
).use(callTracing());

// 3. One call: open it, run the agent inside it, end it.
const call = startCall({
  callId: 'CA123',
  from: '+15550100100',
  to: '+15550109999',
  provider: 'twilio',
});
try {
  const result = await call.run(() => run(agent, 'Where is order 1042?'));
  console.log(result.finalOutput);
  call.end();
} catch (error) {
  call.end({ error });
  throw error;
} finally {
  await provider.forceFlush();
}
