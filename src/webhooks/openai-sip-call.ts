import { SipAttr } from '../attributes.js';
import type { StartCallOptions } from '../call.js';
import { incomingContext, type IncomingTrust } from '../propagation/edge.js';
import { plainOptions } from '../read-options.js';
import { openInvitedCall, type InvitedCall } from './open-invite.js';

/** `data` of OpenAI's `realtime.call.incoming` webhook event. */
export interface OpenAISipIncoming {
  call_id?: string;
  sip_headers?: Array<{ name?: unknown; value?: unknown }>;
}

export interface OpenAISipCallOptions extends Omit<
  StartCallOptions,
  'from' | 'to' | 'provider' | 'providerCallId' | 'parent'
> {
  /**
   * What to do with a `traceparent` SIP header. Default `'link'`: the webhook is a public
   * edge, so the call starts a new trace and links to it; `'parent'` adopts it (only when
   * your SIP trunk is the one setting it).
   */
  trustIncoming?: IncomingTrust;
}

const MAX_HEADERS = 64;

/** The user part of a SIP URI in a From/To header: `"Bob" <sip:+1555…@host>;tag=x` → `+1555…`. */
export function sipUser(value: string | undefined): string | undefined {
  if (typeof value !== 'string' || !value || value.length > 512) return undefined;
  const match = /<?(?:sips?|tel):([^@;>]+)/i.exec(value);
  return match?.[1];
}

/** Opens the call for a verified `realtime.call.incoming` event. */
export function openOpenAISipCall(
  rawData: OpenAISipIncoming,
  rawOptions: OpenAISipCallOptions = {},
): InvitedCall {
  const data = plainOptions<OpenAISipIncoming>(rawData);
  const options = plainOptions<OpenAISipCallOptions>(rawOptions);
  const headers: Record<string, string> = {};
  for (const h of (Array.isArray(data.sip_headers) ? data.sip_headers : []).slice(0, MAX_HEADERS)) {
    if (typeof h?.name === 'string' && typeof h.value === 'string')
      headers[h.name.toLowerCase()] = h.value;
  }
  const trust = options.trustIncoming ?? 'link';
  const incoming = incomingContext(
    headers,
    {
      keys: (c) => Object.keys(c),
      get: (c, k) => c[k.toLowerCase()],
    },
    trust,
  );
  const callId = typeof data.call_id === 'string' ? data.call_id.slice(0, 128) : undefined;
  const { trustIncoming: _trust, ...callOptions } = options;
  return openInvitedCall(
    {
      ...callOptions,
      callId: callOptions.callId ?? callId,
      provider: 'openai-sip',
      providerCallId: callId,
      from: sipUser(headers['from']),
      to: sipUser(headers['to']),
      parent: incoming.root ? undefined : incoming.parent,
      links: [...incoming.links, ...(callOptions.links ?? [])],
    },
    incoming.links.length
      ? { [SipAttr.incomingTraceparent]: 'linked' }
      : !incoming.root
        ? { [SipAttr.incomingTraceparent]: 'adopted' }
        : {},
  );
}
