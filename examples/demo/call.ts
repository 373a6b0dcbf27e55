/**
 * `npm run demo`: one simulated phone call, offline. A scripted front-desk agent looks up an
 * order and checks stock, then hands off to billing, whose card charge fails. Everything runs
 * under `startCall`, and the finished trace is printed as a tree.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Agent, run, setTraceProcessors, tool } from '@openai/agents';
import {
  assistantMessage,
  functionCall,
  type ScriptedModelInput,
} from '@openai/agents-core/testing';
import { z } from 'zod';
import { callTracing, formatTraceTree, startCall, withUse } from 'calltrace';
import { TracedScriptedModel } from 'calltrace/testing';

// OpenTelemetry: keep spans in memory so we can print them.
const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);
// Offline: no OpenAI trace export. calltrace registers its own processor on attach.
setTraceProcessors([]);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const model = (steps: ScriptedModelInput[]) =>
  new TracedScriptedModel(steps, {
    model: 'gpt-realtime',
    latencyMs: 120,
    usage: { input_tokens: 420, output_tokens: 38 },
  });

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Find an order by id',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => (await wait(35), `order ${orderId}: shipped yesterday`),
});
const checkStock = tool({
  name: 'check_stock',
  description: 'Stock for a SKU',
  parameters: z.object({ sku: z.string() }),
  execute: async ({ sku }) => (await wait(20), `${sku}: 3 left`),
});
const chargeCard = tool({
  name: 'charge_card',
  description: 'Charge the card on file',
  parameters: z.object({ amountCents: z.number() }),
  execute: async () => {
    await wait(60);
    throw new Error('card declined');
  },
});

const billing = new Agent({
  name: 'billing',
  instructions: 'Handle payments.',
  tools: [chargeCard],
  model: model([
    [functionCall('charge_card', { amountCents: 1299 }, { callId: 'call_charge_1' })],
    [assistantMessage('Sorry, your card was declined. Anything else?')],
  ]),
});

const frontDesk = withUse(
  new Agent({
    name: 'front desk',
    instructions: 'Answer order questions; hand payments to billing.',
    tools: [lookupOrder, checkStock],
    handoffs: [billing],
    model: model([
      [
        functionCall('lookup_order', { orderId: 'A-1042' }, { callId: 'call_lookup_1' }),
        functionCall('check_stock', { sku: 'SKU-7' }, { callId: 'call_stock_1' }),
      ],
      [functionCall('transfer_to_billing', {}, { callId: 'call_handoff_1' })],
    ]),
  }),
).use(callTracing());

const call = startCall({
  callId: 'demo-call-1',
  provider: 'twilio',
  providerCallId: 'CA0000000000000000000000000000demo',
  from: '+1 (555) 010-0100',
  to: '+15550109999',
});
const result = await call.run(() => run(frontDesk, 'Where is order A-1042? And charge my card.'));
call.end({ reason: 'caller_hangup' });

console.log(`agent said: ${result.finalOutput}\n`);
console.log(
  formatTraceTree(exporter.getFinishedSpans() as any, {
    showAttributes: ['gen_ai.tool.call.id', 'error.type', 'calltrace.call.tool_errors'],
  }),
);
console.log(`\nOpenAI trace id for this call: ${call.openai.traceId}`);
