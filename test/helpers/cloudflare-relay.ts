import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as the worker exported it (OTLP/JSON), flattened for assertions. */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, string | number | boolean>;
}

/** A loopback OTLP/HTTP JSON collector: what the Worker POSTs to `/v1/traces`. */
export async function startCollector() {
  const spans: CollectedSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        for (const rs of JSON.parse(body).resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? []) spans.push(flatten(s));
        res.writeHead(200).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return {
    url,
    spans,
    named: (name: string) => spans.filter((s) => s.name === name || s.name.startsWith(`${name} `)),
    /** Resolves once `count` spans called `name` have arrived. */
    async waitFor(name: string, count = 1, timeoutMs = 10_000): Promise<CollectedSpan[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = spans.filter((s) => s.name === name || s.name.startsWith(`${name} `));
        if (found.length >= count) return found;
        if (Date.now() > deadline)
          throw new Error(`waited for ${count} "${name}"; have [${spans.map((s) => s.name)}]`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function flatten(s: any): CollectedSpan {
  const attributes: CollectedSpan['attributes'] = {};
  for (const a of s.attributes ?? []) {
    const v = a.value ?? {};
    attributes[a.key] =
      v.stringValue ?? v.boolValue ?? (v.intValue ? Number(v.intValue) : v.doubleValue);
  }
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? '',
    name: s.name,
    attributes,
  };
}

export { bundleWorker } from '../../examples/cloudflare-relay/bundle.js';
