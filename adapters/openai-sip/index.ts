export { openaiSipWebhook as openaiSipWebhookExpress } from './express.js';
export { openaiSipWebhook as openaiSipWebhookHono } from './hono.js';
export { handleOpenAISipWebhook } from './handle.js';
export type { SipWebhookOutcome } from './handle.js';
export type { OpenAISipWebhookOptions } from './options.js';
export { verifyStandardWebhook } from '../../src/webhooks/standard-webhooks.js';
export { openOpenAISipCall, sipUser } from '../../src/webhooks/openai-sip-call.js';
export { withSipAcceptTracing } from '../../src/realtime/correlation.js';
export { CallRegistry } from '../../src/call-registry.js';
