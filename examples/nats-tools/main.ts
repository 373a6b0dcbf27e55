/**
 * Agent → NATS microservice → BullMQ after-hours job, in one trace. Needs NATS (NATS_URL,
 * default nats://127.0.0.1:4222) and Redis (REDIS_URL, default redis://127.0.0.1:6379).
 *
 *   npx tsx examples/nats-tools/main.ts
 */
import { connect } from '@nats-io/transport-node';
import { Agent, run, setTraceProcessors, setTracingDisabled, tool } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { callTracing, formatTraceTree, startCall } from 'calltrace';
import { bullmqTelemetry } from 'calltrace/bullmq';
import { TracedScriptedModel } from 'calltrace/testing';
import { setupTracing } from './otel.js';
import { nats, startBookingService } from './service.js';

const exporter = setupTracing();
setTracingDisabled(false);
setTraceProcessors([]); // offline: no export to OpenAI

const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const connection = {
  host: redis.hostname,
  port: Number(redis.port || 6379),
  maxRetriesPerRequest: null,
};
const run_id = Date.now().toString(36);
const subject = `tools.${run_id}.book_callback`;
const queueName = `after-hours-${run_id}`;

// bullmq opens its own `add` and `process` spans; calltrace's telemetry carries the trace.
const telemetry = bullmqTelemetry();
const queue = new Queue(queueName, { connection, telemetry });
const worker = new Worker(
  queueName,
  async (job) => console.log(`worker: calling back ${job.data.phone} in the morning`),
  { connection, telemetry },
);
const jobDone = new Promise<void>((resolve) => worker.on('completed', () => resolve()));

// Two connections, as if the agent and the microservice were separate processes.
const servers = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const agentSide = await connect({ servers });
const serviceSide = await connect({ servers });
startBookingService(serviceSide, subject, queue, () => true);
await serviceSide.flush();

const bookCallback = tool({
  name: 'book_callback',
  description: 'Book a callback for the caller',
  parameters: z.object({ phone: z.string() }),
  execute: async ({ phone }) =>
    (await nats.request(agentSide, subject, JSON.stringify({ phone }), { timeout: 5000 })).string(),
});
const agent = new Agent({
  name: 'front desk',
  tools: [bookCallback],
  model: new TracedScriptedModel([
    [functionCall('book_callback', { phone: '+15550100' }, { callId: 'call_book' })],
    [assistantMessage('We will call you back tomorrow at nine.')],
  ]),
});

const detach = callTracing().attach(agent);
const call = startCall({ callId: 'example-call' });
const result = await call.run(() => run(agent, 'Please call me back.'));
call.end();
detach();
await jobDone;
await new Promise((r) => setTimeout(r, 50)); // bullmq ends its process span just after `completed`

console.log(`agent said: ${result.finalOutput}\n`);
// bullmq's own housekeeping (stalled-job checks) has traces of its own: print the call's.
const callSpans = exporter
  .getFinishedSpans()
  .filter((s) => s.spanContext().traceId === call.traceId);
console.log(
  formatTraceTree(callSpans, {
    showAttributes: ['messaging.system', 'messaging.destination.name'],
  }),
);
await worker.close();
await queue.obliterate({ force: true });
await queue.close();
await agentSide.close();
await serviceSide.close();
