/**
 * The order service the agent's tool calls over HTTP: another process in real life. It joins
 * the caller's trace through the W3C `traceparent` header the tool sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { recordGetter, safeExtract } from 'calltrace';

const tracer = trace.getTracer('order-service');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startOrderService(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { context: parent } = safeExtract(req.headers, recordGetter);
    const span = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER }, parent);
    void context.with(trace.setSpan(parent, span), async () => {
      const db = tracer.startSpan('SELECT orders');
      await wait(45); // a slow query: this is "our" time in the caller's wait
      db.end();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: req.url?.split('/').pop(), status: 'shipped yesterday' }));
      span.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
