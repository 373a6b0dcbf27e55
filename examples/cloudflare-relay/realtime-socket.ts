/**
 * Opening the Realtime WebSocket from workerd: a `fetch` with `Upgrade: websocket` (workerd
 * has no `new WebSocket(url, { headers })`), carrying the call's `traceparent` so the far end
 * can join the trace. The socket is open once accepted, hence `skipOpenEventListeners`.
 */
import { OpenAIRealtimeWebSocket } from '@openai/agents-realtime';
import { injectHeaders } from 'calltrace';
import type { EdgeCall } from 'calltrace/edge';
import type { WorkerWebSocket } from './workers-types.js';

export function realtimeTransport(call: EdgeCall, url: string): OpenAIRealtimeWebSocket {
  return new OpenAIRealtimeWebSocket({
    url,
    skipOpenEventListeners: true,
    createWebSocket: async ({ url: wsUrl, apiKey }) => {
      const headers = injectHeaders(
        { Upgrade: 'websocket', Authorization: `Bearer ${apiKey}` },
        call.context,
      );
      const res = await fetch(wsUrl.replace(/^ws/, 'http'), { headers });
      const ws = (res as Response & { webSocket?: WorkerWebSocket }).webSocket;
      if (!ws) throw new Error(`Realtime upgrade refused: ${res.status}`);
      ws.accept();
      return ws as never;
    },
  });
}
