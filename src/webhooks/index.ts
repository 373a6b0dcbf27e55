export { verifyTwilioSignature } from './twilio-signature.js';
export { verifyStandardWebhook } from './standard-webhooks.js';
export type { StandardWebhookHeaders, WebhookRejection } from './standard-webhooks.js';
export { openInvitedCall, SIP_INVITE_SPAN } from './open-invite.js';
export type { InvitedCall } from './open-invite.js';
export { openTwilioCall } from './twilio-call.js';
export type { TwilioCallOptions, TwilioVoiceParams } from './twilio-call.js';
export { openOpenAISipCall, sipUser } from './openai-sip-call.js';
export type { OpenAISipCallOptions, OpenAISipIncoming } from './openai-sip-call.js';
