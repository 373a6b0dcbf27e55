import { trace } from '@opentelemetry/api';
import { addTraceProcessor, getCurrentSpan, setTracingIdGenerator } from '@openai/agents-core';
import { attachAgentTree, attachRunner, isAgent, isRunner } from './agents/attach-agents.js';
import { AgentsSpanBridge } from './agents/span-bridge.js';
import type { ToolSpanResolver } from './agents/tool-wrapper.js';
import { callAwareTraceIds } from './agents/trace-ids.js';
import { resolveOptions, type CallTracingOptions } from './options.js';
import { attachRealtimeSession, isRealtimeSession } from './realtime/attach-session.js';
import { isSdkToolErrorText, RealtimeToolSpans } from './realtime/tool-spans.js';
import { calltraceLogger, safely } from './safe.js';
import { SCOPE_NAME, VERSION } from './version.js';

/** Anything `attach` accepts: an `Agent`, a `Runner` or a `RealtimeSession`. */
export type TracingTarget = object;

export interface CallTracingPlugin {
  readonly name: 'calltrace';
  /**
   * Starts tracing `target` and returns the undo. Never throws; an unsupported target is
   * ignored with a debug log and gets a no-op undo. Attach a `RealtimeSession` inside
   * `call.run()`: its spans are parented on the context active at attach time.
   */
  attach(target: TracingTarget): () => void;
  /** Open-span bookkeeping, for health checks and tests. */
  readonly stats: { spans: number; traces: number; dropped: number; realtimeTools: number };
}

/**
 * The calltrace plugin for the OpenAI Agents SDK. Create one per process and attach it to
 * every agent, runner or session: `agent.use(callTracing())` (see `withUse`) or
 * `callTracing().attach(agent)`.
 */
export function callTracing(options: CallTracingOptions = {}): CallTracingPlugin {
  const resolved = resolveOptions(options);
  const bridge = new AgentsSpanBridge(resolved);
  const realtimeTools = new RealtimeToolSpans();
  let registered = false;

  // A Runner's tool runs inside the SDK's function span; a Realtime tool has none and is
  // found by its call id instead.
  const resolveTool: ToolSpanResolver = (details) => {
    const sdkSpan = getCurrentSpan();
    if (sdkSpan?.spanData?.type === 'function') {
      bridge.setToolCallId(sdkSpan, details?.toolCall?.callId);
      const bridged = bridge.ensure(sdkSpan);
      return bridged && { context: bridged.context };
    }
    const entry = realtimeTools.get(details?.toolCall?.callId);
    if (!entry) return undefined;
    return {
      context: entry.context,
      settle: (failed, result) => {
        entry.failed = failed || isSdkToolErrorText(result);
      },
    };
  };

  const register = (): void => {
    if (registered) return;
    registered = true;
    // The SDK cannot unregister one processor; a detached bridge stays registered but inert.
    addTraceProcessor(bridge);
    if (resolved.openaiTraceIds) setTracingIdGenerator(callAwareTraceIds);
  };

  const attachOnce = (target: TracingTarget): (() => void) | undefined => {
    if (isRealtimeSession(target)) {
      const tracer = (resolved.tracerProvider ?? trace.getTracerProvider()).getTracer(
        SCOPE_NAME,
        VERSION,
      );
      const undoTools = isAgent(target.initialAgent)
        ? attachAgentTree(target.initialAgent, resolveTool)
        : () => {};
      const undoSession = attachRealtimeSession(target, tracer, realtimeTools, resolved);
      return () => {
        undoSession();
        undoTools();
      };
    }
    if (isRunner(target)) return attachRunner(target, bridge, resolveTool);
    if (isAgent(target)) return attachAgentTree(target, resolveTool);
    return undefined;
  };

  return {
    name: 'calltrace',
    get stats() {
      return { ...bridge.openCounts, realtimeTools: realtimeTools.size };
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
