import { RealtimeAgent, tool } from '@openai/agents-realtime';
import { z } from 'zod';

/** Your voice agent. Its tools run inside their `execute_tool` span. */
export const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up the status of an order by its id',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => {
    await new Promise((r) => setTimeout(r, 40)); // your database or HTTP service here
    return `Order ${orderId} shipped yesterday.`;
  },
});

export const frontDesk = new RealtimeAgent({
  name: 'front desk',
  instructions: 'You answer phone calls about orders. Be brief.',
  tools: [lookupOrder],
});
