import { Agent, run, tool } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { z } from 'zod';
import { callTracing, startCall } from '../../src/index.js';
import { TracedScriptedModel } from '../../src/testing/index.js';
import { tracedFetch } from '../../adapters/fetch/index.js';

/**
 * A traced call whose agent runs one `lookup_order` tool; the tool's `execute` calls
 * `${baseUrl}/orders/42` with `tracedFetch`. Returns the call's trace id and the tool output.
 */
export async function callToolService(
  baseUrl: string,
  fetchImpl: typeof fetch = tracedFetch,
): Promise<{ traceId: string; output: string }> {
  let output = '';
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Find an order',
    parameters: z.object({ orderId: z.string() }),
    execute: async ({ orderId }) => {
      const res = await fetchImpl(`${baseUrl}/orders/${orderId}`);
      output = await res.text();
      return output;
    },
  });
  const agent = new Agent({
    name: 'frontdesk',
    tools: [lookupOrder],
    model: new TracedScriptedModel([
      [functionCall('lookup_order', { orderId: '42' }, { callId: 'call_1' })],
      [assistantMessage('shipped')],
    ]),
  });
  const detach = callTracing().attach(agent);
  const call = startCall({ callId: `http-${Math.random().toString(36).slice(2)}` });
  try {
    await call.run(() => run(agent, 'where is order 42?'));
  } finally {
    call.end();
    detach();
  }
  return { traceId: call.traceId, output };
}
