import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { headers } from '@nats-io/transport-node';
import type { Queue } from 'bullmq';
import { natsTracing } from 'calltrace/nats';

export const nats = natsTracing({ headers });

/**
 * The booking microservice: answers `subject` requests. Inside business hours it books the
 * callback at once; after hours it enqueues a BullMQ job for the morning. Every message runs
 * in a `process {subject}` span that continues the caller's trace, and the job added here
 * carries that trace on to the worker.
 */
export function startBookingService(
  nc: NatsConnection,
  subject: string,
  afterHours: Queue,
  isAfterHours: () => boolean,
): Subscription {
  return nc.subscribe(subject, {
    callback: (_err, msg) => {
      void nats.process(msg, async (m) => {
        const { phone } = m.json<{ phone: string }>();
        if (!isAfterHours()) return nats.respond(m, JSON.stringify({ booked: 'now' }));
        const job = await afterHours.add('callback', { phone }, { attempts: 3 });
        return nats.respond(m, JSON.stringify({ booked: 'tomorrow 09:00', job: job.id }));
      });
    },
  });
}
