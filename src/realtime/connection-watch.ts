import { calltraceLogger, safely } from '../safe.js';
import type { RealtimeSessionLike } from './attach-session.js';
import type { SessionSpans } from './session-tracer.js';

type SocketLike = { addEventListener?: (type: string, fn: (e: any) => void) => void };

/**
 * How the session's connection ended. A normal end is `closed`: our/the app's `close()`, the
 * server closing with 1000 (RFC 6455 §7.4.1; the SIP sideband does so when the phone call
 * ends), or a connection without a socket (WebRTC) closing with no transport error before.
 * Anything else is `connection_lost` and counts as an error. Returns the undo.
 */
export function watchConnection(
  session: RealtimeSessionLike,
  spans: SessionSpans,
  endAll: (reason: string, failed?: boolean) => void,
): () => void {
  let closing = false;
  let closeCode: number | undefined;
  let transportFailed = false;
  let hasSocket = false;
  const onSocketClose = (event: { code?: unknown }) => {
    if (typeof event?.code === 'number') closeCode = event.code;
  };
  const endDisconnected = () => {
    if (!spans.open) return;
    const normal =
      closing || closeCode === 1000 || (closeCode === undefined && !hasSocket && !transportFailed);
    if (!normal) spans.recordError();
    endAll(normal ? 'closed' : 'connection_lost', !normal);
  };
  const onConnection = (status: string) => {
    try {
      if (status === 'connecting') {
        closing = false;
        closeCode = undefined;
        transportFailed = false;
      }
      if (status === 'connected') {
        spans.start();
        const socket = session.transport.connectionState?.websocket as SocketLike | undefined;
        hasSocket = typeof socket?.addEventListener === 'function';
        if (hasSocket) socket!.addEventListener!('close', onSocketClose);
      }
      if (status === 'disconnected' && spans.open) {
        // The SDK reports `disconnected` from its own close listener, before ours has read the
        // close code: decide once the close event has been dispatched to every listener.
        if (closing) endAll('closed');
        else queueMicrotask(() => safely('realtime disconnected', endDisconnected));
      }
    } catch (error) {
      calltraceLogger.debug('realtime connection_change failed', error);
    }
  };
  const onTransportError = (e: { error?: { type?: unknown } }) => {
    if (e?.error?.type !== 'error') transportFailed = true; // not a server `error` event
  };
  session.transport.on('connection_change', onConnection);
  session.transport.on('error', onTransportError);

  // An intentional close is not a lost connection: the app's `session.close()`, or the
  // transport's own `close()` — the Twilio transport calls it when Twilio's socket closes (the
  // caller hung up). A close after a transport error stays a loss (WebRTC closes itself when
  // its peer connection fails). Wrapped on the instances only.
  const originalClose = session.close;
  const close = function (this: unknown) {
    closing = true;
    return originalClose.call(this);
  };
  session.close = close;
  const transport = session.transport;
  const originalTransportClose = transport.close;
  const transportClose = function (this: unknown, ...args: unknown[]) {
    if (!transportFailed) closing = true;
    return originalTransportClose!.apply(this, args);
  };
  if (typeof originalTransportClose === 'function') transport.close = transportClose;
  return () => {
    transport.off('connection_change', onConnection);
    transport.off('error', onTransportError);
    if (session.close === close) session.close = originalClose;
    if (transport.close === transportClose) transport.close = originalTransportClose;
  };
}

/**
 * Wraps `session.interrupt()` on the instance: the app's or a guardrail's (the SDK calls it
 * right after `guardrail_tripped`) — never the caller's barge-in. The SDK's own errors pass
 * through unchanged. Returns the undo.
 */
export function wrapInterrupt(
  session: RealtimeSessionLike,
  spans: SessionSpans,
  guardrailJustTripped: () => boolean,
): () => void {
  const original = session.interrupt;
  if (typeof original !== 'function') return () => {};
  const interrupt = function (this: unknown) {
    let ran = false;
    const run = () => {
      ran = true;
      return original.call(this);
    };
    try {
      return spans.interrupting(guardrailJustTripped() ? 'guardrail' : 'manual', run);
    } catch (error) {
      if (ran) throw error;
      calltraceLogger.debug('realtime interrupt failed', error);
      return original.call(this);
    }
  };
  session.interrupt = interrupt;
  return () => {
    if (session.interrupt === interrupt) session.interrupt = original;
  };
}
