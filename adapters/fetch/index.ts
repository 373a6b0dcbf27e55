export { fetchWithContext, tracedFetch } from './traced-fetch.js';
export { injectHeaders } from '../../src/propagation/index.js';
