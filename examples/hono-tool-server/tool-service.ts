/**
 * An HTTP tool service in Hono: the agent's tools call it, and with calltrace's middleware
 * each request joins the phone call's trace. Web-standard only: this file runs on Node
 * (@hono/node-server), Workers, Deno and Bun. This is the file to copy.
 */
import { Hono } from 'hono';
import { trace } from '@opentelemetry/api';
import { httpTracing } from 'calltrace/hono';

const tracer = trace.getTracer('order-service');
const orders = new Map([['42', { id: '42', status: 'shipped yesterday' }]]);

export function createOrderService(): Hono {
  const app = new Hono();
  // First, before the routes. Tool services sit behind your agents: join the caller's trace.
  // An endpoint reachable from the internet would use { trustIncoming: 'link' } instead.
  app.use(httpTracing());

  app.get('/orders/:id', async (c) => {
    // Spans made here are children of the SERVER span `GET /orders/:id`.
    const order = await tracer.startActiveSpan('SELECT orders', async (span) => {
      await new Promise((r) => setTimeout(r, 5)); // stands in for a database query
      span.end();
      return orders.get(c.req.param('id'));
    });
    return order ? c.json(order) : c.json({ error: 'no such order' }, 404);
  });

  // Errors reach onError unchanged; the span records them and is ERROR.
  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}
