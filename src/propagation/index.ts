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
