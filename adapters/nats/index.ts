export { natsMessageContext, natsTracing } from './tracing.js';
export type { NatsTracing } from './tracing.js';
export { natsHeadersGetter, natsHeadersSetter } from './types.js';
export type {
  JetStreamLike,
  NatsConnectionLike,
  NatsHeaders,
  NatsMsg,
  NatsPayload,
  NatsRequestMsg,
  NatsTracingOptions,
} from './types.js';
