import { Agent, tool } from '@openai/agents';
import type { ScriptedModelInput } from '@openai/agents-core/testing';
import { z } from 'zod';
import { TracedScriptedModel } from '../../src/testing/index.js';

/** A scripted model that reports `gpt-test` with 11 input / 7 output tokens per response. */
export class GenerationSpanModel extends TracedScriptedModel {
  constructor(steps: ScriptedModelInput[]) {
    super(steps, { model: 'gpt-test', usage: { input_tokens: 11, output_tokens: 7 } });
  }
}

/** Fresh tool instances per test, so wrapping in one test never leaks into another. */
export const makeTools = () => ({
  lookupOrder: tool({
    name: 'lookup_order',
    description: 'Find an order',
    parameters: z.object({ orderId: z.string() }),
    execute: async ({ orderId }) => `order ${orderId}: shipped`,
  }),
  checkStock: tool({
    name: 'check_stock',
    description: 'Stock level',
    parameters: z.object({ sku: z.string() }),
    execute: async ({ sku }) => `${sku}: 3 left`,
  }),
  failing: tool({
    name: 'charge_card',
    description: 'Always fails',
    parameters: z.object({ amount: z.number() }),
    execute: async () => {
      throw new Error('card declined for +15550100100');
    },
  }),
});

export { Agent };
