/**
 * One hello-world server for bench/http.bench.ts, run in its own process so its CPU time can
 * be read alone: `node --import tsx bench/http-server.ts <express|hono> <variant>`. Reports
 * its port over IPC, then answers `cpu` with its CPU time (µs) and the spans it ended.
 */
import type * as NodeHttp from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type Express from 'express';

const [framework, variant] = process.argv.slice(2) as ['express' | 'hono', string];
let ended = 0;
const counting: SpanProcessor = {
  onStart: () => {},
  onEnd: () => void ended++,
  forceFlush: async () => {},
  shutdown: async () => {},
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [counting] }));
const tracer = trace.getTracer('hand-written');
const require = createRequire(import.meta.url);

if (variant === 'peer' && framework === 'express') {
  // The standard peer must patch `http` and `express` before they are loaded.
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  });
}

const headersGetter: TextMapGetter<Headers> = {
  keys: () => [],
  get: (h, k) => h.get(k) ?? undefined,
};

async function expressServer() {
  const http = require('node:http') as typeof NodeHttp;
  const express = require('express') as typeof Express;
  const app = express();
  if (variant === 'calltrace')
    app.use((await import('../adapters/express/index.js')).httpTracing());
  if (variant === 'minimal') {
    // extract + one SERVER span + context.with, nothing else
    app.use((req, res, next) => {
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER }, parent);
      res.on('close', () => span.end());
      context.with(trace.setSpan(parent, span), next);
    });
  }
  app.get('/hello', (_req, res) => {
    res.send('hello');
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function honoServer() {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  if (variant === 'calltrace') app.use((await import('../adapters/hono/index.js')).httpTracing());
  if (variant === 'peer') app.use((await import('@hono/otel')).httpInstrumentationMiddleware());
  if (variant === 'minimal') {
    app.use(async (c, next) => {
      const parent = propagation.extract(ROOT_CONTEXT, c.req.raw.headers, headersGetter);
      const span = tracer.startSpan(c.req.method, { kind: SpanKind.SERVER }, parent);
      try {
        await context.with(trace.setSpan(parent, span), next);
      } finally {
        span.end();
      }
    });
  }
  app.get('/hello', (c) => c.text('hello'));
  return new Promise<number>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve((server.address() as AddressInfo).port),
    );
  });
}

const port = framework === 'express' ? await expressServer() : await honoServer();
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system, spans: ended });
  } else if (m === 'exit') process.exit(0);
});
process.send!({ port });
