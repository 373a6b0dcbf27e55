export { openaiSipWebhook as openaiSipWebhookExpress } from './express.js';
export { openaiSipWebhook as openaiSipWebhookHono } from './hono.js';
export { openaiSipHandler } from './handle.js';
export type { OpenAISipWebhookOptions } from './options.js';
export type { WebhookHandler, WebhookOutcome, WebhookRequest } from '../webhook/types.js';
export { verifyStandardWebhook } from '../../src/webhooks/standard-webhooks.js';
export { openOpenAISipCall, sipUser } from '../../src/webhooks/openai-sip-call.js';
export { withSipAcceptTracing } from '../../src/realtime/correlation.js';
export { CallRegistry } from '../kit.js';
