/**
 * Offline run: a local fake of the Realtime API and a simulated Twilio (signed webhook, then a
 * media stream) drive the real app. Prints the call's trace.
 */
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import { formatTraceTree } from 'calltrace';
import { FakeRealtimeServer } from 'calltrace/testing';
import { createVoiceServer } from './server.js';

const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);

const AUTH_TOKEN = 'offline-auth-token';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const realtime = await FakeRealtimeServer.start();
const { server } = createVoiceServer({
  twilioAuthToken: AUTH_TOKEN,
  apiKey: 'offline',
  realtimeUrl: realtime.url,
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// 1. Twilio calls the voice webhook.
const params = {
  CallSid: 'CAoffline00000000000000000000000001',
  From: '+15550100100',
  To: '+15550109999',
  Direction: 'inbound',
};
const twiml = await fetch(`${base}/twilio/voice`, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${base}/twilio/voice`,
      params,
    ),
  },
  body: new URLSearchParams(params).toString(),
}).then((r) => r.text());
console.log(`webhook → ${twiml}`);

// 2. Twilio opens the media stream the TwiML names.
const realtimeSide = realtime.nextConnection();
const media = new WebSocket(`${base.replace('http', 'ws')}/media-stream`);
await new Promise((resolve) => media.once('open', resolve));
let chunksToCaller = 0;
media.on('message', (raw) => {
  if (JSON.parse(raw.toString()).event === 'media') chunksToCaller++;
});
media.send(
  JSON.stringify({ event: 'start', start: { streamSid: 'MZoffline', callSid: params.CallSid } }),
);
const model = await realtimeSide;
media.send(
  JSON.stringify({
    event: 'media',
    media: { payload: Buffer.alloc(160, 0xff).toString('base64') },
  }),
);

// 3. The conversation, scripted on the fake Realtime API.
await model.callerSpeech({ speechMs: 200 });
await model.respond({
  delayMs: 150,
  toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'A-17' }, callId: 'call_1' }],
});
await model.nextClientEvent('response.create');
await model.respond({
  delayMs: 120,
  audioMs: 300,
  paceMs: 2,
  transcript: 'Order A-17 shipped yesterday.',
});
await wait(350);
media.send(JSON.stringify({ event: 'stop' }));
await wait(50);
media.close();

console.log(`\n${chunksToCaller} audio chunks reached the caller\n`);
console.log(
  formatTraceTree(exporter.getFinishedSpans() as never, {
    showAttributes: [
      'calltrace.turn.first_audio_ms',
      'calltrace.turn.first_audio.source',
      'calltrace.turn.wait.ours_ms',
      'calltrace.turn.wait.model_ms',
      'calltrace.call.first_audio_ms.max',
    ],
  }),
);
server.close();
await realtime.close();
