/**
 * The page's script: asks our server for a session, connects a Realtime voice session over
 * WebRTC with its peer connection instrumented, and hangs up.
 */
import { OpenAIRealtimeWebRTC, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { tracePeerConnection } from 'calltrace/webrtc';

interface SessionGrant {
  ephemeralKey: string;
  traceparent: string;
  callId: string;
  model: string;
}

const status = document.querySelector<HTMLElement>('#status')!;
const callButton = document.querySelector<HTMLButtonElement>('#call')!;
const hangupButton = document.querySelector<HTMLButtonElement>('#hangup')!;
let hangup: (() => Promise<void>) | undefined;

callButton.addEventListener('click', async () => {
  callButton.disabled = true;
  status.textContent = 'starting…';
  try {
    const res = await fetch('/session', { method: 'POST' });
    if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
    const grant = (await res.json()) as SessionGrant;
    const transport = new OpenAIRealtimeWebRTC({
      // The transport's own peer connection, instrumented as it is created; the report goes to
      // our server once it connects (or fails) and becomes a span under the call.
      changePeerConnection: tracePeerConnection({
        traceparent: grant.traceparent,
        callId: grant.callId,
        reportUrl: '/calltrace/webrtc',
      }),
    });
    const agent = new RealtimeAgent({
      name: 'Assistant',
      instructions: 'You are a friendly voice assistant. Keep answers short.',
    });
    // Tracing on OpenAI's side comes with the ephemeral key (the server set it).
    const session = new RealtimeSession(agent, { transport, model: grant.model });
    await session.connect({ apiKey: grant.ephemeralKey });
    const traceId = grant.traceparent.split('-')[1];
    hangup = async () => {
      session.close();
      await fetch('/hangup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ traceId }),
      });
    };
    status.textContent = `connected — call ${grant.callId}; speak`;
    hangupButton.disabled = false;
  } catch (error) {
    status.textContent = `failed: ${(error as Error).message}`;
    callButton.disabled = false;
  }
});

hangupButton.addEventListener('click', async () => {
  hangupButton.disabled = true;
  await hangup?.();
  status.textContent = 'ended — the trace is printed in the server terminal';
  callButton.disabled = false;
});
