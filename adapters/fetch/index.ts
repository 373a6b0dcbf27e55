export { fetchWithContext, tracedFetch } from './traced-fetch.js';
export { injectHeaders } from '../kit.js';
