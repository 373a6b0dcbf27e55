export { bullmqTelemetry } from './telemetry.js';
export type { BullmqTelemetryOptions } from './telemetry.js';
export { contextFromMetadata, contextToMetadata, jobContext, jobTelemetry } from './metadata.js';
