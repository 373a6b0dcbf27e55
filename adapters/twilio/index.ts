export { twilioWebhook as twilioWebhookExpress } from './express.js';
export { twilioWebhook as twilioWebhookHono } from './hono.js';
export { twilioHandler } from './handle.js';
export type { TwilioWebhookOptions } from './options.js';
export type { WebhookHandler, WebhookOutcome, WebhookRequest } from '../webhook/types.js';
export {
  twilioSignedData,
  verifyTwilioBody,
  verifyTwilioSignature,
} from '../../src/webhooks/twilio-signature.js';
export type { TwilioAlgorithm, TwilioParams } from '../../src/webhooks/twilio-signature.js';
export { openTwilioCall } from '../../src/webhooks/twilio-call.js';
export type { TwilioCallOptions, TwilioVoiceParams } from '../../src/webhooks/twilio-call.js';
export { CallRegistry } from '../kit.js';
export type { CallRegistryOptions } from '../../src/call-registry.js';
