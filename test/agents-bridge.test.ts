import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { Runner, run, setTraceProcessors, setTracingDisabled } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { Agent, GenerationSpanModel, makeTools } from './helpers/agents.js';
import { callTracing, startCall, withUse, CallAttr, SdkAttr } from '../src/index.js';

const otel = setupOtel();
const plugin = callTracing();
beforeAll(() => {
  setTracingDisabled(false); // vitest sets NODE_ENV=test, which disables SDK tracing
  setTraceProcessors([]); // no OpenAI exporter (it would only warn about a missing key)
});
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

/** frontdesk calls two tools, then hands off to billing, whose tool throws. */
function frontdeskWithBilling() {
  const t = makeTools();
  const billing = new Agent({
    name: 'billing',
    tools: [t.failing],
    model: new GenerationSpanModel([
      [functionCall('charge_card', { amount: 5 }, { callId: 'call_charge' })],
      [assistantMessage('Sorry, the card was declined.')],
    ]),
  });
  const frontdesk = new Agent({
    name: 'frontdesk',
    tools: [t.lookupOrder, t.checkStock],
    handoffs: [billing],
    model: new GenerationSpanModel([
      [
        functionCall('lookup_order', { orderId: '42' }, { callId: 'call_lookup' }),
        functionCall('check_stock', { sku: 'A-1' }, { callId: 'call_stock' }),
      ],
      [functionCall('transfer_to_billing', {}, { callId: 'call_handoff' })],
    ]),
  });
  return { frontdesk, billing };
}

describe('a run inside call.run()', () => {
  it('nests every SDK span under the call, in one trace, with the right parents', async () => {
    const { frontdesk } = frontdeskWithBilling();
    const detach = plugin.attach(frontdesk);
    const call = startCall({ callId: 'call-1', from: '+1 (555) 010-0100', to: '+15550109999' });
    const result = await call.run(() => run(frontdesk, 'where is order 42?'));
    call.end();
    detach();

    expect(result.finalOutput).toBe('Sorry, the card was declined.');
    const spans = otel.spans();
    expect(new Set(spans.map(traceOf))).toEqual(new Set([call.traceId]));

    const root = otel.one('call');
    expect(parentOf(root)).toBeUndefined();
    const workflow = otel.one('invoke_workflow Agent workflow');
    expect(parentOf(workflow)).toBe(idOf(root));
    const front = otel.one('invoke_agent frontdesk');
    const bill = otel.one('invoke_agent billing');
    expect(parentOf(front)).toBe(idOf(workflow));
    expect(parentOf(bill)).toBe(idOf(workflow));

    const turns = otel.byName('turn frontdesk');
    expect(turns).toHaveLength(2);
    turns.forEach((t) => expect(parentOf(t)).toBe(idOf(front)));
    const lookup = otel.one('execute_tool lookup_order');
    const stock = otel.one('execute_tool check_stock');
    const firstTurn = turns.find((t) => t.attributes[SdkAttr.turnNumber] === 1)!;
    expect(parentOf(lookup)).toBe(idOf(firstTurn));
    expect(parentOf(stock)).toBe(idOf(firstTurn));

    const handoff = otel.one('handoff billing');
    expect(handoff.attributes[SdkAttr.handoffFrom]).toBe('frontdesk');
    expect(handoff.attributes[SdkAttr.handoffTo]).toBe('billing');

    const chats = otel.byName('chat gpt-test');
    expect(chats).toHaveLength(4);
    expect(chats[0]!.attributes['gen_ai.usage.input_tokens']).toBe(11);
    expect(chats[0]!.attributes['gen_ai.usage.output_tokens']).toBe(7);
    expect(chats[0]!.attributes['gen_ai.request.model']).toBe('gpt-test');
  });

  it('puts tool name, type and call id on tool spans, including a handoff target’s tool', async () => {
    const { frontdesk } = frontdeskWithBilling();
    const detach = plugin.attach(frontdesk);
    const call = startCall({ callId: 'call-ids' });
    await call.run(() => run(frontdesk, 'hi'));
    call.end();
    detach();

    const ids = Object.fromEntries(
      otel
        .spans()
        .filter((s) => s.name.startsWith('execute_tool '))
        .map((s) => [s.attributes['gen_ai.tool.name'], s.attributes['gen_ai.tool.call.id']]),
    );
    expect(ids).toEqual({
      lookup_order: 'call_lookup',
      check_stock: 'call_stock',
      charge_card: 'call_charge',
    });
    const lookup = otel.one('execute_tool lookup_order');
    expect(lookup.attributes['gen_ai.tool.type']).toBe('function');
    expect(lookup.attributes['gen_ai.operation.name']).toBe('execute_tool');
  });

  it('sets operation, provider and conversation id on every span it creates', async () => {
    const { frontdesk } = frontdeskWithBilling();
    const detach = plugin.attach(frontdesk);
    const call = startCall({ callId: 'conv-7' });
    await call.run(() => run(frontdesk, 'hi'));
    call.end();
    detach();
    for (const s of otel.spans()) {
      expect(s.attributes['gen_ai.conversation.id'], s.name).toBe('conv-7');
      if (s.name !== 'call') expect(s.attributes['gen_ai.provider.name'], s.name).toBe('openai');
    }
    expect(otel.one('invoke_agent frontdesk').attributes['gen_ai.operation.name']).toBe(
      'invoke_agent',
    );
    expect(otel.byName('chat gpt-test')[0]!.attributes['gen_ai.operation.name']).toBe('chat');
  });

  it('marks a throwing tool ERROR with error.type, counts it on the call, and keeps the run’s result', async () => {
    const { frontdesk } = frontdeskWithBilling();
    const detach = plugin.attach(frontdesk);
    const call = startCall({ callId: 'call-err' });
    const result = await call.run(() => run(frontdesk, 'charge me'));
    call.end();
    detach();

    expect(result.finalOutput).toBe('Sorry, the card was declined.');
    const charge = otel.one('execute_tool charge_card');
    expect(charge.status.code).toBe(2);
    expect(charge.attributes['error.type']).toBe('tool_error');
    expect(charge.status.message).toBeUndefined(); // messages can carry personal data
    const root = otel.one('call');
    expect(root.attributes[CallAttr.toolCalls]).toBe(3);
    expect(root.attributes[CallAttr.toolErrors]).toBe(1);
    expect(root.status.code).toBe(0);
  });

  it('makes the tool span the active context while the tool runs', async () => {
    let activeInsideTool: string | undefined;
    const t = makeTools();
    const probe = { ...t.lookupOrder };
    const original = t.lookupOrder.invoke;
    probe.invoke = async (...args: Parameters<typeof original>) => {
      activeInsideTool = trace.getActiveSpan()?.spanContext().spanId;
      trace.getTracer('tool-service').startSpan('GET /orders/42').end();
      return original(...args);
    };
    const agent = new Agent({
      name: 'solo',
      tools: [probe],
      model: new GenerationSpanModel([
        [functionCall('lookup_order', { orderId: '42' }, { callId: 'c1' })],
        [assistantMessage('done')],
      ]),
    });
    const detach = plugin.attach(agent);
    const call = startCall();
    await call.run(() => run(agent, 'go'));
    call.end();
    detach();
    const toolSpan = otel.one('execute_tool lookup_order');
    expect(activeInsideTool).toBe(idOf(toolSpan));
    expect(parentOf(otel.one('GET /orders/42'))).toBe(idOf(toolSpan));
  });
});

describe('content capture', () => {
  async function runLookup(captureContent: boolean) {
    const p = callTracing({ captureContent });
    const t = makeTools();
    const agent = new Agent({
      name: 'solo',
      tools: [t.lookupOrder],
      model: new GenerationSpanModel([
        [functionCall('lookup_order', { orderId: '42' }, { callId: 'c1' })],
        [assistantMessage('done')],
      ]),
    });
    const detach = p.attach(agent);
    const call = startCall();
    await call.run(() => run(agent, 'my order is 42'));
    call.end();
    detach();
    return otel.one('execute_tool lookup_order');
  }

  it('records no tool arguments or results by default', async () => {
    const span = await runLookup(false);
    expect(span.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(span.attributes['gen_ai.tool.call.result']).toBeUndefined();
    for (const s of otel.spans()) {
      expect(s.attributes['gen_ai.input.messages'], s.name).toBeUndefined();
      expect(s.attributes['gen_ai.output.messages'], s.name).toBeUndefined();
    }
  });

  it('records them with captureContent: true', async () => {
    const span = await runLookup(true);
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('{"orderId":"42"}');
    expect(span.attributes['gen_ai.tool.call.result']).toBe('order 42: shipped');
    const chat = otel.byName('chat gpt-test')[0]!;
    expect(String(chat.attributes['gen_ai.output.messages'])).toContain('lookup_order');
  });
});

describe('the forms of attaching', () => {
  function soloAgent(callId: string) {
    const t = makeTools();
    return new Agent({
      name: 'solo',
      tools: [t.lookupOrder],
      model: new GenerationSpanModel([
        [functionCall('lookup_order', { orderId: '1' }, { callId })],
        [assistantMessage('ok')],
      ]),
    });
  }

  it('agent.use(callTracing()) via withUse, with the top-level run()', async () => {
    const agent = withUse(soloAgent('via-use')).use(callTracing());
    const call = startCall();
    await call.run(() => run(agent, 'go'));
    call.end();
    agent.unuse();
    const tool = otel.one('execute_tool lookup_order');
    expect(tool.attributes['gen_ai.tool.call.id']).toBe('via-use');
    expect(traceOf(tool)).toBe(call.traceId);
    expect(Object.getPrototypeOf(agent)).toBe(Agent.prototype);
    expect(Object.prototype.hasOwnProperty.call(Agent.prototype, 'use')).toBe(false);
  });

  it('an explicit Runner: wraps the tools of agents it runs, even ones never attached', async () => {
    const runner = new Runner();
    const detach = plugin.attach(runner);
    const agent = soloAgent('via-runner');
    let activeInsideTool: string | undefined;
    const original = agent.tools[0]!;
    const inner = (original as any).invoke;
    // Observe the context the tool body runs in.
    (original as any).invoke = async (...args: unknown[]) => {
      activeInsideTool = trace.getActiveSpan()?.spanContext().spanId;
      return inner(...args);
    };
    const call = startCall();
    await call.run(() => runner.run(agent, 'go'));
    call.end();
    detach();
    const tool = otel.one('execute_tool lookup_order');
    expect(tool.attributes['gen_ai.tool.call.id']).toBe('via-runner');
    expect(activeInsideTool).toBe(idOf(tool));
  });

  it('the disposer restores the tools and stops bridging', async () => {
    const p = callTracing();
    const agent = soloAgent('x');
    const before = (agent.tools[0] as any).invoke;
    const detach = p.attach(agent);
    expect((agent.tools[0] as any).invoke).not.toBe(before);
    detach();
    detach(); // idempotent
    expect((agent.tools[0] as any).invoke).toBe(before);
    const call = startCall();
    await call.run(() => run(agent, 'go'));
    call.end();
    expect(otel.spans().map((s) => s.name)).toEqual(['call']);
  });

  it('ignores a target it does not know, without throwing', () => {
    const undo = plugin.attach({ hello: 'world' });
    expect(() => undo()).not.toThrow();
  });
});

describe('the OpenAI side of the call', () => {
  it('gives the first SDK trace of a call the id trace_<our trace id>, plus group id and metadata', async () => {
    const seen: Array<{ traceId: string; groupId: string | null; metadata?: Record<string, any> }> =
      [];
    const { addTraceProcessor } = await import('@openai/agents');
    addTraceProcessor({
      onTraceStart: async () => {},
      onTraceEnd: async (t) => {
        seen.push({ traceId: t.traceId, groupId: t.groupId, metadata: t.metadata });
      },
      onSpanStart: async () => {},
      onSpanEnd: async () => {},
      shutdown: async () => {},
      forceFlush: async () => {},
    });
    const agent = new Agent({
      name: 'solo',
      model: new GenerationSpanModel([[assistantMessage('a')], [assistantMessage('b')]]),
    });
    const detach = plugin.attach(agent);
    const call = startCall({ callId: 'corr-1' });
    await call.run(() => run(agent, 'one'));
    await call.run(() => run(agent, 'two'));
    call.end();
    detach();

    expect(seen).toHaveLength(2);
    expect(seen[0]!.traceId).toBe(`trace_${call.traceId}`);
    expect(call.openai.traceId).toBe(`trace_${call.traceId}`);
    expect(seen[1]!.traceId).not.toBe(seen[0]!.traceId);
    for (const t of seen) {
      expect(t.groupId).toBe('corr-1');
      expect(t.metadata).toMatchObject({ calltrace_trace_id: call.traceId, call_id: 'corr-1' });
    }
  });
});
