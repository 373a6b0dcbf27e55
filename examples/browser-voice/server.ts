/**
 * Browser voice starter: a page talks to the OpenAI Realtime API over WebRTC; this server
 * opens the call's trace, mints the page's ephemeral key with the call's tracing metadata,
 * hands out the call's `traceparent`, and turns the page's WebRTC report into a
 * `webrtc.peer_connection` span under the call.
 *
 *   OPENAI_API_KEY=sk-… npx tsx examples/browser-voice/server.ts   → http://127.0.0.1:3000
 *
 * Without OPENAI_API_KEY it says what it would do and exits (no network).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import express from 'express';
import OpenAI from 'openai';
import { CallRegistry, formatTraceTree, realtimeTracingConfig, startCall } from 'calltrace';
import { WebRTCAttr, WebRTCEvent, webrtcReportExpress } from 'calltrace/webrtc-server';
import { setupExampleTracing } from './otel.js';

const PORT = Number(process.env.PORT ?? 3000);
const MODEL = process.env.REALTIME_MODEL ?? 'gpt-realtime';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SHOWN_ATTRIBUTES = [
  WebRTCAttr.outcome,
  WebRTCAttr.connectedMs,
  WebRTCAttr.localCandidateType,
  WebRTCAttr.remoteCandidateType,
  WebRTCAttr.rttMs,
];
const SHOWN_EVENTS = [WebRTCEvent.connection, WebRTCEvent.candidate, WebRTCEvent.selected_pair];

if (!process.env.OPENAI_API_KEY) {
  console.log(`OPENAI_API_KEY is not set, so this starter stops here. With a key it would:
  1. serve a page on http://127.0.0.1:${PORT} with a "Call" button;
  2. on POST /session: startCall() opens the root \`call\` span, then
     client.realtime.clientSecrets.create({ session: { type: 'realtime', model: '${MODEL}',
       tracing: realtimeTracingConfig(call.openai) } })
     mints an ephemeral key whose OpenAI trace carries our trace id and call id, and the page
     gets { ephemeralKey, traceparent, callId };
  3. the page connects a RealtimeSession over OpenAIRealtimeWebRTC, its peer connection
     instrumented through changePeerConnection: tracePeerConnection({ traceparent, … });
  4. the page POSTs one WebRTC report to /calltrace/webrtc → a webrtc.peer_connection span
     (ICE/DTLS states, first candidates, selected pair, time to connected) under the call;
  5. on hang-up the call ends and its trace is printed here.
Run: OPENAI_API_KEY=sk-… npx tsx examples/browser-voice/server.ts`);
  process.exit(0);
}

const exporter = setupExampleTracing();
const client = new OpenAI();
const calls = new CallRegistry({ maxCalls: 1_000 }); // by trace id: who may report, who hangs up

// The page's script, bundled from TypeScript at start-up (a real app would use its bundler).
const bundle = await build({
  entryPoints: [here('./client.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'warning',
});
const clientJs = bundle.outputFiles[0]!.text;

const app = express();
app.get('/', (_req, res) => res.sendFile(here('./index.html')));
app.get('/client.js', (_req, res) => res.type('js').send(clientJs));

app.post('/session', async (_req, res) => {
  const call = startCall({ provider: 'webrtc' });
  try {
    const secret = await client.realtime.clientSecrets.create({
      session: { type: 'realtime', model: MODEL, tracing: realtimeTracingConfig(call.openai) },
    });
    calls.set(call.traceId, call);
    res.json({
      ephemeralKey: secret.value,
      traceparent: call.traceparent,
      callId: call.callId,
      model: MODEL,
    });
  } catch (error) {
    call.end({ error, reason: 'client_secret_failed' });
    res.status(502).json({ error: (error as Error).message });
  }
});

// Only reports for calls this server handed out become spans; the rest get 403.
app.post(
  '/calltrace/webrtc',
  webrtcReportExpress({ acceptReport: ({ traceId }) => calls.get(traceId) !== undefined }),
);

app.post('/hangup', express.json(), (req, res) => {
  const call = calls.get(String(req.body?.traceId ?? ''));
  if (!call) return void res.status(404).end();
  call.end({ reason: 'caller_hangup' });
  setTimeout(() => {
    const spans = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === call.traceId);
    console.log(
      formatTraceTree(spans, { showAttributes: SHOWN_ATTRIBUTES, showEvents: SHOWN_EVENTS }),
    );
  }, 500).unref(); // the page's report may still be in flight
  res.status(204).end();
});

app.listen(PORT, '127.0.0.1', () => console.log(`open http://127.0.0.1:${PORT}`));
