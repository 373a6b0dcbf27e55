import { SipAttr } from '../attributes.js';
import type { StartCallOptions } from '../call.js';
import { plainOptions } from '../read-options.js';
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
  rawParams: TwilioVoiceParams,
  rawOptions: TwilioCallOptions = {},
): InvitedCall {
  const params = stringFields(rawParams);
  const options = plainOptions<TwilioCallOptions>(rawOptions);
  const direction = params.Direction ?? 'inbound';
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

/** The string fields of the webhook's parameters; anything else (or a hostile object) is dropped. */
function stringFields(raw: unknown): TwilioVoiceParams {
  const out: TwilioVoiceParams = {};
  for (const [k, v] of Object.entries(plainOptions<Record<string, unknown>>(raw)))
    if (typeof v === 'string') out[k] = v;
  return out;
}
