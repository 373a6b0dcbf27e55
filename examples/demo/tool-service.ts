/**
 * The order service the agent's tool calls over HTTP: another process in real life. With
 * calltrace's Express middleware it joins the caller's trace through the `traceparent` the
 * tool's `tracedFetch` sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { trace } from '@opentelemetry/api';
import { httpTracing } from 'calltrace/express';

const tracer = trace.getTracer('order-service');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startOrderService(): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(httpTracing());
  app.get('/orders/:id', async (req, res) => {
    const db = tracer.startSpan('SELECT orders');
    await wait(45); // a slow query: this is "our" time in the caller's wait
    db.end();
    res.json({ id: req.params.id, status: 'shipped yesterday' });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
