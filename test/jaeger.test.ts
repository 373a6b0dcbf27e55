/**
 * A real trace backend: Jaeger (built from source, deploy/jaeger/config.yaml — the config
 * `npm run jaeger` runs) receives the demo's call over OTLP/HTTP; its query API returns the
 * call's trace with every span and parent; the lookup page's Jaeger link template opens it.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceUrl } from '../src/store/trace-link.js';
import { freePort, goBinary, ROOT, startBinary, stop } from './helpers/go-binaries.js';

// Not required under CI=true yet: .ci/run does not build Jaeger until its build has been
// verified on a CI machine (issue 12: the first build here did not finish in the session).
// With the binary cached (`npm run jaeger` once), this test runs.
const jaeger = goBinary('jaeger', { requiredInCi: false });
const run = promisify(execFile);

/** The README's template for Jaeger, with the port this test's Jaeger listens on. */
const README_TEMPLATE = 'http://localhost:16686/trace/{traceId}';

interface JaegerSpan {
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; spanID: string }>;
}

/** (name, parent name) for each span of the tree the demo prints; depth from the indent. */
function printedTree(out: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const stack: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*\d+ ms {2}([│├└─ ]*)(.+?) {2}[\d.]+ ms/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 3;
    stack.length = depth;
    pairs.push([m[2]!, depth === 0 ? '' : stack[depth - 1]!]);
    stack.push(m[2]!);
  }
  return pairs;
}

describe.skipIf(!jaeger)('Jaeger (built from source) shows the demo call', () => {
  let child: ChildProcess | undefined;
  let queryUrl = '';
  let demoOut = '';
  let traceId = '';
  let spans: JaegerSpan[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(`${tmpdir()}/calltrace-jaeger-`);
    const [query, queryGrpc, otlpGrpc, otlpHttp] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    child = await startBinary(jaeger!, ['--config', `${ROOT}deploy/jaeger/config.yaml`], {
      name: 'jaeger',
      port: query,
      logFile: `${dir}/jaeger.log`,
      env: {
        JAEGER_QUERY_HTTP_ENDPOINT: `127.0.0.1:${query}`,
        JAEGER_QUERY_GRPC_ENDPOINT: `127.0.0.1:${queryGrpc}`,
        JAEGER_OTLP_GRPC_ENDPOINT: `127.0.0.1:${otlpGrpc}`,
        JAEGER_OTLP_HTTP_ENDPOINT: `127.0.0.1:${otlpHttp}`,
      },
    });
    queryUrl = `http://127.0.0.1:${query}`;
    // The README's recipe: the demo with OTEL_EXPORTER_OTLP_ENDPOINT pointing at Jaeger.
    const { stdout } = await run(`${ROOT}node_modules/.bin/tsx`, ['examples/demo/voice-call.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpHttp}`,
        CALLTRACE_DEMO_DIR: dir,
      },
    });
    demoOut = stdout;
    traceId = /\(trace ([0-9a-f]{32})\)/.exec(demoOut)![1]!;
    const expected = printedTree(demoOut).length;
    // Jaeger's batch processor and storage are asynchronous: poll until the whole call is in.
    for (let i = 0; i < 100 && spans.length < expected; i++) {
      const res = await fetch(`${queryUrl}/api/traces/${traceId}`);
      if (res.ok)
        spans = ((await res.json()) as { data: Array<{ spans: JaegerSpan[] }> }).data[0]!.spans;
      if (spans.length < expected) await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  afterAll(() => stop(child));

  it('returns the call’s trace with every span the demo printed, each under the same parent', () => {
    const printed = printedTree(demoOut);
    expect(printed.length).toBeGreaterThanOrEqual(10);
    const names = new Map(spans.map((s) => [s.spanID, s.operationName]));
    const fromJaeger = spans.map((s): [string, string] => {
      const parent = s.references?.find((r) => r.refType === 'CHILD_OF')?.spanID;
      return [s.operationName, parent ? (names.get(parent) ?? '(missing parent)') : ''];
    });
    const sort = (pairs: Array<[string, string]>) => pairs.map((p) => p.join(' ← ')).sort();
    expect(sort(fromJaeger)).toEqual(sort(printed));
    expect(printed.filter(([, parent]) => parent === '')).toEqual([['call', '']]);
  });

  it('the lookup page’s Jaeger link template opens that trace', async () => {
    const template = README_TEMPLATE.replace('localhost:16686', new URL(queryUrl).host);
    const call = {
      ...{ provider: 'twilio', providerCallId: null, openaiSessionId: null, direction: null },
      ...{ callerLast4: null, calleeLast4: null, startedAt: new Date(), endedAt: new Date() },
      ...{ durationMs: null, status: 'completed', firstAudioMaxMs: null, firstAudioP50Ms: null },
      ...{ callId: 'CAdemo0000000000000000000000000001', traceId, error: false },
    };
    const link = traceUrl(template, call)!;
    expect(link).toBe(`${queryUrl}/trace/${traceId}`);
    // The link is Jaeger's UI route for the trace...
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    // ...and the UI loads the trace from the API by the id in the link.
    const id = new URL(link).pathname.split('/').pop()!;
    const api = await fetch(`${queryUrl}/api/traces/${id}`);
    const body = (await api.json()) as { data: Array<{ traceID: string; spans: unknown[] }> };
    expect(body.data[0]!.traceID).toBe(traceId);
    expect(body.data[0]!.spans).toHaveLength(spans.length);
  });
});
