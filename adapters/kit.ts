/**
 * The few pieces of calltrace's core the adapters use, in one place: an adapter imports from
 * here, not from a dozen `src` files, so the guards it relies on (the safe tracer, fault
 * reporting, one `error.type`, bounded body reads, the single propagation path) are the same
 * everywhere and a new adapter is safe by construction.
 */
export { reportFault, safely, DropCounter } from '../src/safe.js';
export { resolveTracer, safeTracer, SafeTracer } from '../src/safe-tracer.js';
export { errorType } from '../src/error-type.js';
export { plainOptions, readField, readOptions } from '../src/read-options.js';
export { noticeOnce } from '../src/notice.js';
export { startCall, type CallHandle } from '../src/call.js';
export { CallRegistry } from '../src/call-registry.js';
export { openInvitedCall, type InvitedCall } from '../src/webhooks/open-invite.js';
export {
  readIterableBody,
  readStreamBody,
  declaredTooLarge,
} from '../src/webrtc-server/read-body.js';
export {
  incomingContext,
  injectHeaders,
  recordGetter,
  safeExtract,
  safeInject,
  type IncomingTrust,
} from '../src/propagation/index.js';
export * from '../src/semconv.js';
export { CallAttr, SipAttr } from '../src/attributes.js';
export { SCOPE_NAME, VERSION } from '../src/version.js';
