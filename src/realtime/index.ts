export { markAudioSentToCaller } from './audio-sent.js';
export {
  realtimeSessionTracing,
  tracedRealtimeWebSocket,
  withClientSecretTracing,
  withSipAcceptTracing,
} from './correlation.js';
export { REALTIME_SESSION_SPAN } from './session-tracer.js';
