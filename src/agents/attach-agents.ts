import { getCurrentSpan } from '@openai/agents-core';
import { safely } from '../safe.js';
import type { AgentsSpanBridge } from './span-bridge.js';
import { wrapToolInvoke, type ToolSpanResolver } from './tool-wrapper.js';

type Listener = (...args: any[]) => void;
interface Emitter {
  on(event: string, listener: Listener): unknown;
  off?(event: string, listener: Listener): unknown;
}
export interface AgentLike extends Emitter {
  name: string;
  tools: unknown[];
  handoffs: unknown[];
}
export interface RunnerLike extends Emitter {
  run: (...args: any[]) => unknown;
  config: unknown;
}

export function isAgent(target: unknown): target is AgentLike {
  const t = target as AgentLike | null;
  return !!t && Array.isArray(t.tools) && Array.isArray(t.handoffs) && typeof t.on === 'function';
}

export function isRunner(target: unknown): target is RunnerLike {
  const t = target as RunnerLike | null;
  return !!t && typeof t.run === 'function' && 'config' in t && typeof t.on === 'function';
}

/**
 * Wraps the function tools of an agent and, recursively, of every handoff target reachable
 * from it (a `Handoff` holds its target in `.agent`). Returns the undo.
 */
export function attachAgentTree(
  root: AgentLike,
  resolve: ToolSpanResolver,
  seen = new WeakSet<object>(),
): () => void {
  const undos: Array<() => void> = [];
  const visit = (agent: AgentLike): void => {
    if (seen.has(agent)) return;
    seen.add(agent);
    for (const tool of agent.tools) {
      const undo = wrapToolInvoke(tool, resolve);
      if (undo) undos.push(undo);
    }
    for (const h of agent.handoffs) {
      const target = isAgent(h) ? h : (h as { agent?: unknown } | null)?.agent;
      if (isAgent(target)) visit(target);
    }
  };
  visit(root);
  return () => undos.forEach((undo) => undo());
}

/**
 * A Runner reaches agents we were never shown (clones, agents chosen per run): wrap each
 * agent's tools when it starts, and take tool call ids from the runner's tool hook.
 */
export function attachRunner(
  runner: RunnerLike,
  bridge: AgentsSpanBridge,
  resolve: ToolSpanResolver,
): () => void {
  const seen = new WeakSet<object>();
  const undos: Array<() => void> = [];
  const onAgentStart: Listener = (_ctx, agent) =>
    safely('runner agent_start', () => {
      if (isAgent(agent)) undos.push(attachAgentTree(agent, resolve, seen));
    });
  const onToolStart: Listener = (_ctx, _agent, _tool, details) =>
    safely('runner agent_tool_start', () =>
      bridge.setToolCallId(getCurrentSpan(), details?.toolCall?.callId),
    );
  runner.on('agent_start', onAgentStart);
  runner.on('agent_tool_start', onToolStart);
  return () => {
    runner.off?.('agent_start', onAgentStart);
    runner.off?.('agent_tool_start', onToolStart);
    undos.forEach((undo) => undo());
  };
}
