export { twilioWebhook as twilioWebhookExpress } from './express.js';
export { twilioWebhook as twilioWebhookHono } from './hono.js';
export type { TwilioWebhookOptions } from './options.js';
export { verifyTwilioSignature } from '../../src/webhooks/twilio-signature.js';
export { openTwilioCall } from '../../src/webhooks/twilio-call.js';
export type { TwilioCallOptions, TwilioVoiceParams } from '../../src/webhooks/twilio-call.js';
export { CallRegistry } from '../../src/call-registry.js';
export type { CallRegistryOptions } from '../../src/call-registry.js';
