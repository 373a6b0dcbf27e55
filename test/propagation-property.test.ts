import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import express from 'express';
import { Hono } from 'hono';
import { ROOT_CONTEXT, trace, type SpanContext } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { setupOtel } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import {
  hostileHeaderRecord,
  idsIn,
  validTraceparent,
  wireHeaders,
} from './helpers/header-arbitraries.js';
import { incomingContext, recordGetter, safeExtract } from '../src/propagation/index.js';
import { nodeHeadersGetter, webHeadersGetter } from '../adapters/http-shared/getters.js';
import { resolveHttpServerOptions } from '../adapters/http-shared/options.js';
import { serverSpanStarter } from '../adapters/http-shared/server-span.js';
import { httpTracing as expressTracing } from '../adapters/express/index.js';
import { httpTracing as honoTracing } from '../adapters/hono/index.js';

/**
 * Bad input never hurts: every extractor gets ≥ 10,000 generated carriers. None may throw;
 * an adopted context must be valid and come from the carrier's own traceparent; anything else
 * gives a fresh context. Valid traceparents are always adopted.
 */
const otel = setupOtel(); // global propagator and context manager
// Always-on sampling: a caller's "not sampled" flag would otherwise leave nothing to inspect.
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const finished = (name: string): ReadableSpan => {
  const spans = exporter.getFinishedSpans();
  expect(spans.map((s) => s.name)).toEqual([name]);
  return spans[0]!;
};
afterAll(async () => {
  await tracerProvider.shutdown();
  await otel.shutdown();
});
const RUNS = 10_000;
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** The one safety property: an adopted remote context is valid and was in the carrier. */
function assertSafe(remote: SpanContext | undefined, carrierTraceparent: unknown): void {
  if (!remote) return;
  expect(trace.isSpanContextValid(remote)).toBe(true);
  expect(remote.traceId).toMatch(HEX32);
  expect(remote.spanId).toMatch(HEX16);
  expect(idsIn(carrierTraceparent)).toContain(`${remote.traceId}-${remote.spanId}`);
}

/** A server span's remote parent or link, and a check that it is otherwise a fresh root. */
function remoteOf(span: ReadableSpan): SpanContext | undefined {
  expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
  return span.parentSpanContext ?? span.links?.[0]?.context;
}

const startNodeSpan = serverSpanStarter(nodeHeadersGetter);
const startWebSpan = serverSpanStarter(webHeadersGetter);
const parentOpts = resolveHttpServerOptions({ tracerProvider });
const linkOpts = resolveHttpServerOptions({ tracerProvider, trustIncoming: 'link' });

describe('extractors on generated carriers', () => {
  it('safeExtract with the record getter', () => {
    fc.assert(
      fc.property(hostileHeaderRecord, (headers) => {
        const { context, remote } = safeExtract(headers, recordGetter);
        assertSafe(remote, headers.traceparent);
        if (!remote) expect(context).toBe(ROOT_CONTEXT);
      }),
      { numRuns: RUNS },
    );
  });

  it("incomingContext in 'parent' and 'link' modes", () => {
    fc.assert(
      fc.property(hostileHeaderRecord, fc.constantFrom('parent', 'link' as const), (h, trust) => {
        const incoming = incomingContext(h, recordGetter, trust);
        const remote = trust === 'link' ? incoming.links[0]?.context : undefined;
        assertSafe(remote ?? trace.getSpanContext(incoming.parent), h.traceparent);
        if (trust === 'link') expect(incoming.parent).toBe(ROOT_CONTEXT);
      }),
      { numRuns: RUNS },
    );
  });

  it('the Node-headers getter (Express) through the server span', () => {
    fc.assert(
      fc.property(hostileHeaderRecord, fc.boolean(), (headers, link) => {
        const o = link ? linkOpts : parentOpts;
        const { span } = startNodeSpan(o, headers, 'GET', '/');
        assertSafe(remoteOf(span as unknown as ReadableSpan), headers.traceparent);
      }),
      { numRuns: RUNS },
    );
  });

  it('the Web Headers getter (Hono, fetch) through the server span', () => {
    fc.assert(
      fc.property(wireHeaders, fc.boolean(), (pairs, link) => {
        const headers = new Headers(pairs);
        const { span } = startWebSpan(link ? linkOpts : parentOpts, headers, 'GET', '/');
        assertSafe(remoteOf(span as unknown as ReadableSpan), headers.get('traceparent'));
      }),
      { numRuns: RUNS },
    );
  });

  it('always adopts a valid traceparent, exactly', () => {
    fc.assert(
      fc.property(validTraceparent, (traceparent) => {
        const { remote } = safeExtract({ traceparent }, recordGetter);
        expect(remote && `00-${remote.traceId}-${remote.spanId}`).toBe(traceparent.slice(0, 52));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the middleware on generated requests', () => {
  it('Hono: every request is answered and its span is safe', async () => {
    const app = new Hono();
    app.use(honoTracing({ tracerProvider }));
    app.get('/', (c) => c.text('ok'));
    await fc.assert(
      fc.asyncProperty(wireHeaders, async (pairs) => {
        exporter.reset();
        const res = await app.request('/', { headers: pairs });
        expect(res.status).toBe(200);
        const span = finished('GET /');
        assertSafe(remoteOf(span), new Headers(pairs).get('traceparent'));
      }),
      { numRuns: RUNS },
    );
  });

  it('Express over real HTTP: every request is answered and its span is safe', async () => {
    const app = express();
    app.use(expressTracing({ tracerProvider }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    const server = await listen(createServer(app));
    try {
      await fc.assert(
        fc.asyncProperty(wireHeaders, async (pairs) => {
          exporter.reset();
          const res = await fetch(`${server.url}/`, { headers: pairs });
          expect(await res.text()).toBe('ok');
          for (let i = 0; i < 50 && exporter.getFinishedSpans().length === 0; i++)
            await new Promise((r) => setImmediate(r));
          const span = finished('GET /');
          // Node joins a repeated header with ", ": the adopted id must still be in the text.
          assertSafe(remoteOf(span), new Headers(pairs).get('traceparent'));
        }),
        // The getter itself got RUNS carriers above; over the wire, a sample keeps this fast.
        { numRuns: Number(process.env.PROPERTY_HTTP_RUNS ?? 2_500) },
      );
    } finally {
      await server.close();
    }
  }, 120_000);
});
