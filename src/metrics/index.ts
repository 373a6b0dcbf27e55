export {
  VoiceMetric,
  MetricAttr,
  VOICE_SECONDS_BUCKETS,
  OPERATION_SECONDS_BUCKETS,
  CALL_SECONDS_BUCKETS,
  TOKEN_BUCKETS,
} from './names.js';
