export { TRACE_FIELD, takeTrace, upgradeHeaders, withTrace } from './envelope.js';
export { onTracedMessage } from './receive.js';
export type { TracedMessage, WsTracingOptions } from './receive.js';
