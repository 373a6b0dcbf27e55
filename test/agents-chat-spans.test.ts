import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  Agent,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  setTraceProcessors,
  setTracingDisabled,
  tool,
  type TracingProcessor,
} from '@openai/agents';

import { z } from 'zod';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { callTracing, startCall, UsageAggregateAttr } from '../src/index.js';

/**
 * Chat spans through the real OpenAI model classes of @openai/agents-openai, whose OpenAI
 * client answers from a canned body instead of the network: the SDK fills the generation and
 * response spans exactly as in production (Chat Completions sets `spanData.model` after the
 * span started and puts the ChatCompletion, usage included, in `output[0]`).
 */

const otel = setupOtel();
beforeAll(() => setTracingDisabled(false)); // vitest sets NODE_ENV=test
beforeEach(() => otel.reset());
afterAll(() => {
  setTraceProcessors([]);
  return otel.shutdown();
});

const REQUEST_MODEL = 'gpt-4o-mini';
const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';

function clientAnswering(bodies: object[]): OpenAI {
  let i = 0;
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: async () =>
      new Response(JSON.stringify(bodies[Math.min(i++, bodies.length - 1)]), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
  });
}

/** Chat Completions (API reference `chat.completion` object) with cached prompt tokens. */
function chatCompletion(n: number, message: object) {
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: 1_764_000_000,
    model: RESPONSE_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 120,
      completion_tokens: 9,
      total_tokens: 129,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

function chatAgent() {
  const lookup = tool({
    name: 'lookup_order',
    description: 'Find an order',
    parameters: z.object({ orderId: z.string() }),
    execute: async ({ orderId }) => `order ${orderId}: shipped`,
  });
  const model = new OpenAIChatCompletionsModel(
    clientAnswering([
      chatCompletion(1, {
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'lookup_order', arguments: '{"orderId":"42"}' },
          },
        ],
      }),
      chatCompletion(2, { content: 'Order 42 has shipped.' }),
    ]) as any,
    REQUEST_MODEL,
  );
  return new Agent({ name: 'frontdesk', tools: [lookup], model });
}

const noop = (): Promise<void> => Promise.resolve();
function otherProcessor(onSpanStart: () => Promise<void> = noop): TracingProcessor {
  return {
    onTraceStart: noop,
    onTraceEnd: noop,
    onSpanStart,
    onSpanEnd: noop,
    shutdown: noop,
    forceFlush: noop,
  };
}
const nextTurnOfEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Registers a fresh plugin in the given processor order; returns its detach. */
type Order = (attach: () => () => void) => () => void;
const orders: Array<[string, Order]> = [
  [
    'ours alone after setTraceProcessors([])',
    (attach) => {
      setTraceProcessors([]);
      return attach();
    },
  ],
  [
    'an async processor registered before ours',
    (attach) => {
      setTraceProcessors([otherProcessor()]);
      return attach();
    },
  ],
  [
    'a slow processor before ours (its onSpanStart waits a turn of the event loop)',
    (attach) => {
      setTraceProcessors([otherProcessor(nextTurnOfEventLoop)]);
      return attach();
    },
  ],
];

async function runChatCall(order: Order) {
  const agent = chatAgent();
  const plugin = callTracing();
  const detach = order(() => plugin.attach(agent));
  const call = startCall({ callId: 'chat-order' });
  const result = await call.run(() => run(agent, 'where is order 42?'));
  call.end();
  await nextTurnOfEventLoop(); // let a delayed processor chain finish
  detach();
  return { call, result, spans: otel.spans(), stats: plugin.stats };
}

const usageKeys = (s: ReadableSpan) =>
  Object.keys(s.attributes).filter((k) => k.startsWith('gen_ai.usage.'));

describe.each(orders)('Chat Completions, %s', (_label, order) => {
  it('names each chat span `chat {model}` with request and response model', async () => {
    const { result, spans } = await runChatCall(order);
    expect(result.finalOutput).toBe('Order 42 has shipped.');
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.map((s) => s.name)).toEqual([`chat ${REQUEST_MODEL}`, `chat ${REQUEST_MODEL}`]);
    for (const chat of chats) {
      expect(chat.attributes['gen_ai.request.model']).toBe(REQUEST_MODEL);
      expect(chat.attributes['gen_ai.response.model']).toBe(RESPONSE_MODEL);
    }
    expect(chats.map((s) => s.attributes['gen_ai.response.id']).sort()).toEqual([
      'chatcmpl-1',
      'chatcmpl-2',
    ]);
  });

  it('reads usage, cached input tokens included, from the ChatCompletion in the span output', async () => {
    const { spans } = await runChatCall(order);
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats).toHaveLength(2);
    for (const chat of chats) {
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBe(120);
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBe(9);
      expect(chat.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(100);
    }
  });

  it('keeps the tree: one trace, chat and tool spans under their turn, nothing left open', async () => {
    const { call, spans, stats } = await runChatCall(order);
    expect(new Set(spans.map(traceOf))).toEqual(new Set([call.traceId]));
    const nameOf = new Map(spans.map((s) => [idOf(s), s.name]));
    const tree = spans.map((s) => `${s.name} <- ${nameOf.get(parentOf(s)!) ?? '-'}`).sort();
    expect(tree).toEqual([
      'call <- -',
      `chat ${REQUEST_MODEL} <- turn frontdesk`,
      `chat ${REQUEST_MODEL} <- turn frontdesk`,
      'execute_tool lookup_order <- turn frontdesk',
      'invoke_agent frontdesk <- invoke_workflow Agent workflow',
      'invoke_workflow Agent workflow <- call',
      'turn frontdesk <- invoke_agent frontdesk',
      'turn frontdesk <- invoke_agent frontdesk',
    ]);
    expect(stats).toMatchObject({ spans: 0, traces: 0 });
  });
});

describe('usage is counted once per trace', () => {
  it('gen_ai.usage.* only on chat spans; workflow and turn spans carry calltrace.usage.* sums', async () => {
    const { spans } = await runChatCall(orders[0]![1]);
    const withUsage = spans.filter((s) => usageKeys(s).length > 0);
    expect(withUsage.map((s) => s.attributes['gen_ai.operation.name'])).toEqual(['chat', 'chat']);
    const sum = (key: string) =>
      spans.reduce((n, s) => n + ((s.attributes[key] as number | undefined) ?? 0), 0);
    expect(sum('gen_ai.usage.input_tokens')).toBe(240);
    expect(sum('gen_ai.usage.cache_read.input_tokens')).toBe(200);

    const workflow = spans.find((s) => s.name.startsWith('invoke_workflow '))!;
    expect(workflow.attributes[UsageAggregateAttr.inputTokens]).toBe(240);
    expect(workflow.attributes[UsageAggregateAttr.outputTokens]).toBe(18);
    expect(workflow.attributes[UsageAggregateAttr.cacheReadInputTokens]).toBe(200);
    const turns = spans.filter((s) => s.name.startsWith('turn '));
    expect(turns.map((t) => t.attributes[UsageAggregateAttr.inputTokens])).toEqual([120, 120]);
  });
});

describe('Responses API', () => {
  it('reads model, id and usage (cached tokens included) from the response span', async () => {
    const model = new OpenAIResponsesModel(
      clientAnswering([
        {
          id: 'resp_1',
          object: 'response',
          created_at: 1_764_000_000,
          model: 'gpt-4.1-2025-04-14',
          status: 'completed',
          output: [
            {
              type: 'message',
              id: 'msg_1',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: 'done', annotations: [] }],
            },
          ],
          usage: {
            input_tokens: 50,
            input_tokens_details: { cached_tokens: 32 },
            output_tokens: 5,
            output_tokens_details: { reasoning_tokens: 2 },
            total_tokens: 55,
          },
        },
      ]) as any,
      'gpt-4.1',
    );
    const agent = new Agent({ name: 'solo', model });
    const plugin = callTracing();
    setTraceProcessors([]);
    const detach = plugin.attach(agent);
    const call = startCall({ callId: 'responses' });
    const result = await call.run(() => run(agent, 'hi'));
    call.end();
    detach();

    expect(result.finalOutput).toBe('done');
    const chat = otel.one('chat gpt-4.1-2025-04-14');
    expect(chat.attributes['gen_ai.response.id']).toBe('resp_1');
    expect(chat.attributes['gen_ai.response.model']).toBe('gpt-4.1-2025-04-14');
    expect(chat.attributes['gen_ai.usage.input_tokens']).toBe(50);
    expect(chat.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(chat.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(32);
    expect(chat.attributes['gen_ai.usage.reasoning.output_tokens']).toBe(2);
    const withUsage = otel.spans().filter((s) => usageKeys(s).length > 0);
    expect(withUsage).toEqual([chat]);
  });
});
