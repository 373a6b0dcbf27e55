import { SipAttr } from '../attributes.js';
import type { StartCallOptions } from '../call.js';
import { openInvitedCall, type InvitedCall } from './open-invite.js';

/** Twilio's voice webhook parameters calltrace reads (all strings, form-encoded). */
export interface TwilioVoiceParams {
  CallSid?: string;
  From?: string;
  To?: string;
  Direction?: string;
  [name: string]: string | undefined;
}

export type TwilioCallOptions = Omit<
  StartCallOptions,
  'from' | 'to' | 'direction' | 'provider' | 'providerCallId'
>;

/** Opens the call for a verified Twilio voice webhook: CallSid is the call id by default. */
export function openTwilioCall(
  params: TwilioVoiceParams,
  options: TwilioCallOptions = {},
): InvitedCall {
  const direction = String(params.Direction ?? 'inbound');
  return openInvitedCall(
    {
      ...options,
      callId: options.callId ?? params.CallSid,
      provider: 'twilio',
      providerCallId: params.CallSid,
      from: params.From,
      to: params.To,
      direction: direction.startsWith('outbound') ? 'outbound' : 'inbound',
    },
    { [SipAttr.providerDirection]: direction.slice(0, 32) },
  );
}
