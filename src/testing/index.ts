export { TracedScriptedModel } from './traced-scripted-model.js';
export type { TracedScriptedModelOptions } from './traced-scripted-model.js';
export { FakeRealtimeServer } from './fake-realtime-server.js';
export type { FakeRealtimeServerOptions } from './fake-realtime-server.js';
export { FakeRealtimeConnection } from './fake-realtime-connection.js';
export type { CallerSpeechOptions } from './fake-realtime-input.js';
export type {
  FakeResponseOptions,
  FakeResponseResult,
  FakeToolCall,
  FakeTransportMode,
  FakeUsage,
} from './fake-realtime-types.js';
