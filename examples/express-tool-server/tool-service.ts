/**
 * An HTTP tool service in Express: the agent's tools call it, and with calltrace's middleware
 * each request joins the phone call's trace. This is the file to copy.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { trace } from '@opentelemetry/api';
import { httpTracing } from 'calltrace/express';

const tracer = trace.getTracer('order-service');
const orders = new Map([['42', { id: '42', status: 'shipped yesterday' }]]);

export function createOrderService(): express.Express {
  const app = express();
  // First, before the routes. Tool services sit behind your agents: join the caller's trace.
  // An endpoint reachable from the internet would use { trustIncoming: 'link' } instead.
  app.use(httpTracing());

  app.get('/orders/:id', async (req, res) => {
    // Spans made here are children of the SERVER span `GET /orders/:id`.
    const order = await tracer.startActiveSpan('SELECT orders', async (span) => {
      await new Promise((r) => setTimeout(r, 5)); // stands in for a database query
      span.end();
      return orders.get(req.params.id);
    });
    if (!order) {
      res.status(404).json({ error: 'no such order' });
      return;
    }
    res.json(order);
  });

  // Errors reach your handler unchanged; the span is ERROR because the answer is a 5xx.
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: err.message });
  });
  return app;
}
