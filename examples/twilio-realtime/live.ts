/** Live mode: real Twilio, real OpenAI. Export traces over OTLP (set OTEL_EXPORTER_OTLP_ENDPOINT). */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { createVoiceServer } from './server.js';

export async function startLive(): Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  // Swap ConsoleSpanExporter for @opentelemetry/exporter-trace-otlp-http's OTLPTraceExporter.
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
    }),
  );
  const token = process.env.TWILIO_AUTH_TOKEN;
  if (!token) throw new Error('Set TWILIO_AUTH_TOKEN (Twilio console → Account → Auth token)');
  const { server } = createVoiceServer({
    twilioAuthToken: token,
    apiKey: process.env.OPENAI_API_KEY!,
    publicUrl: process.env.PUBLIC_URL,
  });
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () =>
    console.log(
      `voice webhook: POST ${process.env.PUBLIC_URL ?? `http://localhost:${port}`}/twilio/voice`,
    ),
  );
}
