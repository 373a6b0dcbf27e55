import { injectHeaders } from '../propagation/carrier.js';
import type { CallHandle } from '../call.js';
import { assertCall } from '../call-context.js';
import {
  metadataOf,
  realtimeTracingConfig,
  type RealtimeTracingConfig,
} from '../openai-correlation.js';

/**
 * `RealtimeSession` options that name the call on the OpenAI side: the SDK sends them as the
 * session's `tracing` config (`workflow_name`, `group_id`, `metadata`) after `session.created`.
 *
 *   new RealtimeSession(agent, { ...realtimeSessionTracing(call), transport: 'websocket' })
 */
export function realtimeSessionTracing(call: CallHandle): {
  workflowName: string;
  groupId: string;
  traceMetadata: Record<string, string>;
} {
  assertCall('realtimeSessionTracing', call);
  const { workflowName, groupId } = call.openai;
  return { workflowName, groupId, traceMetadata: metadataOf(call.openai) };
}

/**
 * The body for `client.realtime.clientSecrets.create(...)` with the call's tracing config in
 * its session, so a browser session minted with the key is findable from the call.
 */
export function withClientSecretTracing<B extends { session?: Record<string, unknown> }>(
  call: CallHandle,
  body: B,
): B & { session: { tracing: RealtimeTracingConfig } } {
  assertCall('withClientSecretTracing', call);
  return { ...body, session: { ...body?.session, tracing: realtimeTracingConfig(call.openai) } };
}

/**
 * The body for `client.realtime.calls.accept(callId, body)` with the call's tracing config.
 * Needed because `OpenAIRealtimeSIP.buildInitialConfig()` drops `tracing`.
 */
export function withSipAcceptTracing<B extends Record<string, unknown>>(
  call: CallHandle,
  body: B,
): B & { tracing: RealtimeTracingConfig } {
  assertCall('withSipAcceptTracing', call);
  return { ...body, tracing: realtimeTracingConfig(call.openai) };
}

type WebSocketCtor<W> = new (url: string, options: { headers: Record<string, string> }) => W;

/**
 * A `createWebSocket` for `OpenAIRealtimeWebSocket` whose upgrade request carries the call's
 * `traceparent` (and `tracestate`), for Node's `ws` (pass its `WebSocket` class):
 *
 *   new OpenAIRealtimeWebSocket({ createWebSocket: tracedRealtimeWebSocket(call, WebSocket) })
 */
export function tracedRealtimeWebSocket<W>(
  call: CallHandle,
  WebSocket: WebSocketCtor<W>,
  extraHeaders: Record<string, string> = {},
): (options: { url: string; apiKey: string }) => Promise<W> {
  return async ({ url, apiKey }) => {
    const headers = injectHeaders(
      { Authorization: `Bearer ${apiKey}`, ...extraHeaders },
      call.context,
    );
    return new WebSocket(url, { headers });
  };
}
