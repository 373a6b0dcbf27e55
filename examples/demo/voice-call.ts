/**
 * `npm run demo`: one simulated phone call, offline, end to end.
 *
 *   Twilio webhook → root `call` + `sip.invite` → Realtime session (a local fake of the OpenAI
 *   Realtime API, driven by the real Agents SDK) → one `invoke_agent` exchange per caller turn,
 *   each with its `realtime_inference` model responses → a tool that calls an HTTP order
 *   service → the caller barges in → hang up. Then the trace is printed with each exchange's
 *   wait split into ours and the model's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import { z } from 'zod';
import {
  OpenAIRealtimeWebSocket,
  RealtimeAgent,
  RealtimeSession,
  tool,
} from '@openai/agents-realtime';
import {
  callTracing,
  formatTraceTree,
  markAudioSentToCaller,
  realtimeSessionTracing,
  tracedRealtimeWebSocket,
  withUse,
  type CallHandle,
} from 'calltrace';
import { tracedFetch } from 'calltrace/fetch';
import { CallRegistry, twilioWebhookExpress } from 'calltrace/twilio';
import { FakeRealtimeServer } from 'calltrace/testing';
import { demoCallIndex } from './call-index.js';
import { setupDemoMetrics } from './metrics.js';
import { flushDemoTracing, setupDemoTracing } from './otel.js';
import { startOrderService } from './tool-service.js';

const callIndex = demoCallIndex(); // the embedded index: `calltrace lookup` finds the call
const exporter = setupDemoTracing(callIndex.spanProcessors);
const demoMetrics = setupDemoMetrics(); // voice and GenAI metrics, printed after the trace
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AUTH_TOKEN = 'demo-twilio-auth-token';

// --- the services around the agent -------------------------------------------------------
const realtimeApi = await FakeRealtimeServer.start(); // stands in for api.openai.com
const orders = await startOrderService();
const calls = new CallRegistry();
const tracing = callTracing();

// --- the agent -----------------------------------------------------------------------------
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: z.object({ orderId: z.string() }),
  // The tool's span is active here, so tracedFetch carries the call's trace onward.
  execute: async ({ orderId }) => {
    const res = await tracedFetch(`${orders.url}/orders/${orderId}`);
    return JSON.stringify(await res.json());
  },
});
const frontDesk = new RealtimeAgent({
  name: 'front desk',
  instructions: 'Help with orders.',
  tools: [lookupOrder],
});

/** What the media-stream handler of a real app does once Twilio connects the audio. */
async function runVoiceSession(call: CallHandle): Promise<RealtimeSession> {
  const session = withUse(
    new RealtimeSession(frontDesk, {
      transport: new OpenAIRealtimeWebSocket({
        createWebSocket: tracedRealtimeWebSocket(call, WebSocket) as never,
      }),
      model: 'gpt-realtime',
      ...realtimeSessionTracing(call),
    }),
  );
  call.run(() => session.use(tracing));
  // The relay forwards each audio chunk to the caller; it says when the first one went out.
  session.on('audio', () => setTimeout(() => markAudioSentToCaller(session), 12));
  await session.connect({ apiKey: 'offline-demo-key', url: realtimeApi.url });
  return session;
}

// --- the webhook app ---------------------------------------------------------------------
const app = express();
app.post(
  '/twilio/voice',
  express.urlencoded({ extended: false }),
  twilioWebhookExpress({ authToken: AUTH_TOKEN, registry: calls }),
  (_req, res) => {
    res
      .type('text/xml')
      .send('<Response><Connect><Stream url="wss://example/media"/></Connect></Response>');
  },
);
const web = createServer(app);
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
const webhookUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/twilio/voice`;

// --- the phone call ------------------------------------------------------------------------
const params = {
  CallSid: 'CAdemo0000000000000000000000000001',
  From: '+15550100100',
  To: '+15550109999',
  Direction: 'inbound',
};
const res = await fetch(webhookUrl, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, webhookUrl, params),
  },
  body: new URLSearchParams(params).toString(),
});
console.log(`Twilio webhook answered ${res.status}`);
const call = calls.get(params.CallSid)!;
callIndex.track(call, { from: params.From, to: params.To });

const connection = realtimeApi.nextConnection();
const session = await runVoiceSession(call);
const model = await connection; // the fake Realtime API's side of this session

// Exchange 1: "Where is order 1042?" → the model calls the tool, then answers (two responses).
await model.callerSpeech({ speechMs: 300 });
await model.respond({
  delayMs: 180,
  toolCalls: [{ name: 'lookup_order', arguments: { orderId: '1042' }, callId: 'call_lookup_1' }],
  usage: { input_tokens: 310, output_tokens: 22 },
});
await model.nextClientEvent('response.create');
await model.respond({
  delayMs: 150,
  firstAudioDelayMs: 60,
  audioMs: 400,
  paceMs: 2,
  transcript: 'Your order shipped yesterday.',
  usage: { input_tokens: 352, output_tokens: 96, input_audio_tokens: 280, output_audio_tokens: 80 },
});

// Exchange 2: a long answer the caller interrupts (after letting the last answer play out).
await wait(420);
await model.callerSpeech({ speechMs: 200 });
const agentSpeaks = new Promise<void>((resolve) => session.on('audio', () => resolve()));
const long = model.respond({
  delayMs: 220,
  audioMs: 8000, // sent about 10x faster than it plays, like the real API
  chunkMs: 100,
  paceMs: 10,
  transcript: 'Let me tell you about our return policy...',
});
await agentSpeaks;
await wait(300); // the caller listens a little, then talks over the agent
model.callerStartsSpeaking(); // barge-in: the server cancels the response (turn_detected)
await long;

// Exchange 3: a short answer, then the caller hangs up.
await wait(100);
await model.callerSpeech({ speechMs: 250 });
await model.respond({ delayMs: 240, audioMs: 300, paceMs: 2, transcript: 'Goodbye!' });
await wait(40);
session.close();
call.end({ reason: 'caller_hangup' });

// --- the trace -----------------------------------------------------------------------------
console.log(
  '\n' +
    formatTraceTree(exporter.getFinishedSpans() as never, {
      showAttributes: [
        'calltrace.turn.first_audio_ms',
        'calltrace.turn.first_audio.source',
        'calltrace.turn.wait.ours_ms',
        'calltrace.turn.wait.model_ms',
        'calltrace.turn.status',
        'gen_ai.response.finish_reasons',
        'gen_ai.tool.call.id',
        'calltrace.call.first_audio_ms.max',
        'calltrace.call.first_audio_ms.p50',
        'calltrace.call.barge_ins',
      ],
      showEvents: ['gen_ai.audio.barge_in'],
    }),
);
await demoMetrics.print();
console.log(
  `\nOn the OpenAI dashboard, find this call by group id ${call.callId} (trace ${call.traceId}).`,
);

web.close();
orders.server.close();
await realtimeApi.close();
await flushDemoTracing();
await callIndex.finish(params.From);
