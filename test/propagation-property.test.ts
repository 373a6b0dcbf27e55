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

/**
 * The one safety property: an adopted remote context is valid and was in the carrier; its
 * tracestate, if any, is Level 2 valid: 1–32 members, valid keys and values, ≤ 512 characters.
 */
function assertSafe(remote: SpanContext | undefined, carrierTraceparent: unknown): void {
  if (!remote) return;
  expect(trace.isSpanContextValid(remote)).toBe(true);
  expect(remote.traceId).toMatch(HEX32);
  expect(remote.spanId).toMatch(HEX16);
  expect(idsIn(carrierTraceparent)).toContain(`${remote.traceId}-${remote.spanId}`);
  expect([0, 1, 2, 3]).toContain(remote.traceFlags);
  if (remote.traceState) assertLevel2State(remote.traceState.serialize());
}

const L2_KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const L2_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
function assertLevel2State(serialized: string): void {
  expect(serialized.length).toBeGreaterThan(0);
  expect(serialized.length).toBeLessThanOrEqual(512);
  const members = serialized.split(',');
  expect(members.length).toBeLessThanOrEqual(32);
  for (const m of members) {
    const eq = m.indexOf('=');
    expect(m.slice(0, eq)).toMatch(L2_KEY);
    expect(m.slice(eq + 1)).toMatch(L2_VALUE);
  }
}

/** Level 2 tracestates built from the grammar: 1–32 members, unique keys, any length. */
const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-*/@');
const l2Key = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
    fc.string({ unit: keyChar, maxLength: 255 }),
  )
  .map(([first, rest]) => first + rest);
const valueChar = fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x2c && c !== 0x3d);
const l2Value = fc
  .tuple(
    fc.array(valueChar, { maxLength: 255 }),
    valueChar.filter((c) => c !== 0x20),
  )
  .map(([chars, last]) => String.fromCharCode(...chars, last));
const l2State = fc.uniqueArray(fc.tuple(l2Key, l2Value), {
  minLength: 1,
  maxLength: 32,
  selector: ([k]) => k,
});

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

  it('always adopts a valid Level 2 tracestate: whole when ≤ 512 characters, else whole entries of it', () => {
    const traceparent = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-03`;
    fc.assert(
      fc.property(l2State, (members) => {
        const header = members.map(([k, v]) => `${k}=${v}`).join(',');
        const { remote } = safeExtract({ traceparent, tracestate: header }, recordGetter);
        const kept = remote?.traceState?.serialize();
        if (header.length <= 512) {
          expect(kept).toBe(header);
        } else if (kept === undefined) {
          // Nothing left: only when no single member fits 512 characters on its own.
          expect(members.every(([k, v]) => k.length + v.length >= 512)).toBe(true);
        } else {
          // Truncated: members of the header, in their order, within the limits.
          assertLevel2State(kept);
          const all = members.map(([k, v]) => `${k}=${v}`);
          let from = 0;
          for (const m of kept.split(',')) {
            from = all.indexOf(m, from) + 1;
            expect(from).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2_000 },
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
