export {
  boundedGetter,
  injectHeaders,
  recordGetter,
  recordSetter,
  safeExtract,
  safeInject,
} from './carrier.js';
export { incomingContext } from './edge.js';
export type { IncomingContext, IncomingTrust } from './edge.js';
export { remoteSpanContext, traceparentOf, W3CTraceContextLevel2Propagator } from './level2.js';
export { formatTraceparent, parseTraceparent } from './traceparent.js';
export { Level2TraceState, parseTraceState } from './tracestate.js';
