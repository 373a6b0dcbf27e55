export { openEdgeCall, resumeCall, EdgeCall } from './edge-call.js';
export type { ResumeCallOptions } from './edge-call.js';
export { parseCallSnapshot, snapshotCall } from './call-snapshot.js';
export type { CallSnapshot } from './call-snapshot.js';
export { OtlpFetchExporter } from './otlp-fetch-exporter.js';
export type { OtlpFetchExporterOptions } from './otlp-fetch-exporter.js';
export { EdgeAttr, EDGE_END_SPAN, EDGE_RESUME_SPAN } from './attributes.js';
