export { callTailSampler, CallTailSampler } from './tail-sampler.js';
export type { TailSamplerStats } from './tail-sampler.js';
export {
  DEFAULT_FIRST_AUDIO_THRESHOLD_MS,
  DEFAULT_HASH_SALT,
  DEFAULT_KEEP_RATIO,
} from './options.js';
export type { SamplingRule, TailSamplerOptions } from './options.js';
export { traceIdRatio } from './trace-id-ratio.js';
export { SamplingAttr } from '../attributes.js';
