import { addTraceProcessor, setTracingIdGenerator } from '@openai/agents-core';
import { attachAgentTree, attachRunner, isAgent, isRunner } from './agents/attach-agents.js';
import { AgentsSpanBridge } from './agents/span-bridge.js';
import { callAwareTraceIds } from './agents/trace-ids.js';
import { resolveOptions, type CallTracingOptions } from './options.js';
import { calltraceLogger, safely } from './safe.js';

/** Anything `attach` accepts: an `Agent`, a `Runner` (a `RealtimeSession` once supported). */
export type TracingTarget = object;

export interface CallTracingPlugin {
  readonly name: 'calltrace';
  /**
   * Starts tracing `target` and returns the undo. Never throws; an unsupported target is
   * ignored with a debug log and gets a no-op undo.
   */
  attach(target: TracingTarget): () => void;
  /** Open-span bookkeeping, for health checks and tests. */
  readonly stats: { spans: number; traces: number; dropped: number };
}

/**
 * The calltrace plugin for the OpenAI Agents SDK. Create one per process and attach it to
 * every agent, runner or session: `agent.use(callTracing())` (see `withUse`) or
 * `callTracing().attach(agent)`.
 */
export function callTracing(options: CallTracingOptions = {}): CallTracingPlugin {
  const resolved = resolveOptions(options);
  const bridge = new AgentsSpanBridge(resolved);
  let registered = false;

  const register = (): void => {
    if (registered) return;
    registered = true;
    // The SDK cannot unregister one processor; a detached bridge stays registered but inert.
    addTraceProcessor(bridge);
    if (resolved.openaiTraceIds) setTracingIdGenerator(callAwareTraceIds);
  };

  const attachOnce = (target: TracingTarget): (() => void) | undefined => {
    if (isRunner(target)) return attachRunner(target, bridge);
    if (isAgent(target)) return attachAgentTree(target, bridge);
    return undefined;
  };

  return {
    name: 'calltrace',
    get stats() {
      return bridge.openCounts;
    },
    attach(target) {
      const undo = safely('attach', () => {
        const detach = attachOnce(target);
        if (!detach) {
          calltraceLogger.debug('attach: unsupported target, ignored');
          return undefined;
        }
        register();
        bridge.active++;
        return detach;
      });
      if (!undo) return () => {};
      let done = false;
      return () => {
        if (done) return;
        done = true;
        bridge.active--;
        safely('detach', undo);
      };
    },
  };
}
