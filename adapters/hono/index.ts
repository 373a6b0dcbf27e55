export { httpTracing } from './middleware.js';
export type { HttpServerTracingOptions } from '../http-shared/options.js';
