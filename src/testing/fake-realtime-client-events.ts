/**
 * The fake's answers to client events (realtime.d.ts `RealtimeClientEvent`), one case each,
 * with the reference it follows.
 */
import { mergeSession } from './fake-realtime-events.js';
import type { ServerPlayback } from './fake-realtime-playback.js';

type Json = Record<string, any>;

/** What the handler needs from its connection. */
export interface ClientEventHost {
  session: Json;
  readonly playback: ServerPlayback | undefined;
  send(event: Json): void;
  nextId(prefix: string): string;
  addItem(item: Json): string | null;
  getItem(id: string): Json | undefined;
  /** A response is due (the client's `response.create`). */
  responseDue(): void;
  cancelResponse(reason: 'client_cancelled'): void;
  appendInput(bytes: number): void;
  /** Commits the input buffer; false when it was empty. */
  commitInput(): boolean;
}

export function handleClientEvent(host: ClientEventHost, event: Json): void {
  switch (event.type) {
    case 'session.update':
      // session.updated echoes the whole session, server defaults filled in.
      host.session = mergeSession(host.session, event.session ?? {});
      host.send({ type: 'session.updated', session: host.session });
      return;
    case 'response.create':
      host.responseDue();
      return;
    case 'response.cancel':
      // RealtimeResponseStatus.reason `client_cancelled` ("the client sent a cancel event").
      host.cancelResponse('client_cancelled');
      return;
    case 'output_audio_buffer.clear':
      // WebRTC/SIP only: "trigger the server to stop ... and emit output_audio_buffer.cleared"
      // (realtime.d.ts OutputAudioBufferClearEvent).
      host.playback?.clear();
      return;
    case 'input_audio_buffer.append':
      host.appendInput(typeof event.audio === 'string' ? event.audio.length : 0);
      return;
    case 'input_audio_buffer.commit':
      // "will produce an error if the input audio buffer is empty"; "it will not create a
      // response" (realtime.d.ts InputAudioBufferCommitEvent).
      if (!host.commitInput())
        host.send({
          type: 'error',
          error: {
            type: 'invalid_request_error',
            code: 'input_audio_buffer_commit_empty',
            message: 'Error committing input audio buffer: buffer is empty.',
            event_id: event.event_id ?? null,
          },
        });
      return;
    case 'conversation.item.truncate':
      // WebSocket: the client reports what it played (ConversationItemTruncatedEvent).
      host.send({
        type: 'conversation.item.truncated',
        item_id: event.item_id,
        content_index: event.content_index,
        audio_end_ms: event.audio_end_ms,
      });
      return;
    case 'conversation.item.retrieve': {
      // The SDK retrieves an item after `truncated` and transcription (openaiRealtimeBase.mjs).
      const item = host.getItem(event.item_id);
      if (item) host.send({ type: 'conversation.item.retrieved', item });
      return;
    }
    case 'conversation.item.create': {
      // Acknowledged with conversation.item.added/.done (the SDK settles its history on added).
      if (!event.item) return;
      const item = { id: event.item.id ?? host.nextId('item_client'), ...event.item };
      const previous = host.addItem(item);
      host.send({ type: 'conversation.item.added', previous_item_id: previous, item });
      host.send({ type: 'conversation.item.done', previous_item_id: previous, item });
      return;
    }
  }
}
