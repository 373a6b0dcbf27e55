/**
 * Bridges one Twilio Media Stream (a WebSocket Twilio opens to us) to a Realtime session.
 * μ-law audio passes through both ways; calltrace traces the session inside the call the
 * voice webhook opened, and learns when agent audio goes out to the caller.
 */
import type { WebSocket } from 'ws';
import { WebSocket as WsClient } from 'ws';
import { OpenAIRealtimeWebSocket, RealtimeSession } from '@openai/agents-realtime';
import {
  callTracing,
  markAudioSentToCaller,
  realtimeSessionTracing,
  tracedRealtimeWebSocket,
  type CallHandle,
} from 'calltrace';
import type { CallRegistry } from 'calltrace/twilio';
import { frontDesk } from './agent.js';

export interface BridgeOptions {
  calls: CallRegistry;
  apiKey: string;
  /** Realtime API URL; default OpenAI's. The offline run points it at a local fake. */
  realtimeUrl?: string;
}

const tracing = callTracing();

export function bridgeMediaStream(twilioSocket: WebSocket, options: BridgeOptions): void {
  let session: RealtimeSession | undefined;
  let call: CallHandle | undefined;
  let streamSid = '';

  twilioSocket.on('message', async (raw) => {
    let msg: any;
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      return;
    }
    if (msg.event === 'start') {
      streamSid = msg.start.streamSid;
      call = options.calls.get(msg.start.callSid);
      if (!call) return twilioSocket.close(); // no webhook opened this call: not ours
      session = new RealtimeSession(frontDesk, {
        transport: new OpenAIRealtimeWebSocket({
          createWebSocket: tracedRealtimeWebSocket(call, WsClient) as never,
        }),
        model: 'gpt-realtime',
        config: {
          audio: {
            input: { format: { type: 'audio/pcmu' } },
            output: { format: { type: 'audio/pcmu' } },
          },
        },
        ...realtimeSessionTracing(call),
      });
      const s = session;
      call.run(() => tracing.attach(s)); // the session's spans become children of the call
      s.on('error', () => {}); // calltrace records server errors on the session span
      s.on('audio', (event) => {
        twilioSocket.send(
          JSON.stringify({
            event: 'media',
            streamSid,
            media: { payload: Buffer.from(event.data).toString('base64') },
          }),
        );
        markAudioSentToCaller(s);
      });
      s.on('audio_interrupted', () =>
        twilioSocket.send(JSON.stringify({ event: 'clear', streamSid })),
      );
      await s.connect({
        apiKey: options.apiKey,
        ...(options.realtimeUrl ? { url: options.realtimeUrl } : {}),
      });
    } else if (msg.event === 'media' && session) {
      const audio = Buffer.from(msg.media.payload, 'base64');
      session.sendAudio(audio.buffer.slice(audio.byteOffset, audio.byteOffset + audio.byteLength));
    } else if (msg.event === 'stop') {
      hangUp('caller_hangup');
    }
  });
  twilioSocket.on('close', () => hangUp('stream_closed'));

  function hangUp(reason: string) {
    session?.close();
    session = undefined;
    call?.end({ reason });
  }
}
