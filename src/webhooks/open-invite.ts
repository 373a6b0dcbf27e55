import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { CallAttr, SipAttr } from '../attributes.js';
import { numberAttributes, startCall, type CallHandle, type StartCallOptions } from '../call.js';
import { safely } from '../safe.js';
import { safeTracer } from '../safe-tracer.js';
import { ATTR_GEN_AI_CONVERSATION_ID } from '../semconv.js';

export const SIP_INVITE_SPAN = 'sip.invite';

/** A call opened by a webhook, with its `sip.invite` span still open. */
export interface InvitedCall {
  call: CallHandle;
  invite: Span;
  /** Context with the invite span active: run the webhook's own handler in it. */
  inviteContext: Context;
  /** Ends the invite span with the webhook's HTTP status. Idempotent. */
  endInvite(status?: number): void;
}

/** Opens the root `call` and its `sip.invite` child. Never throws. */
export function openInvitedCall(
  callOptions: StartCallOptions,
  inviteAttributes: Attributes,
): InvitedCall {
  const call = startCall(callOptions);
  const attributes: Attributes = {
    [CallAttr.callId]: call.callId,
    [ATTR_GEN_AI_CONVERSATION_ID]: call.callId,
    ...inviteAttributes,
    ...numberAttributes(callOptions, false),
  };
  if (callOptions.providerCallId) attributes[CallAttr.providerCallId] = callOptions.providerCallId;
  const invite = safeTracer(callOptions.tracerProvider).startSpan(
    SIP_INVITE_SPAN,
    { kind: SpanKind.SERVER, attributes },
    call.context,
  );
  let ended = false;
  return {
    call,
    invite,
    inviteContext: trace.setSpan(call.context, invite),
    endInvite(status) {
      if (ended) return;
      ended = true;
      safely('endInvite', () => {
        if (typeof status === 'number') {
          invite.setAttribute(SipAttr.responseStatus, status);
          if (status >= 500) invite.setStatus({ code: SpanStatusCode.ERROR });
        }
        invite.end();
      });
    },
  };
}
