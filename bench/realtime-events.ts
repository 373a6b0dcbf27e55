/**
 * The Realtime server events both Realtime benches feed through the SDK's real
 * OpenAIRealtimeWebSocket message handler: one audio delta and one whole exchange.
 */

/** What a bench session exposes: the transport's message handler and a JSON feeder. */
export interface FedSession {
  transport: { _onMessage(e: { data: string }): void };
  feed(event: Record<string, unknown>): void;
}

/** 20 ms of 24 kHz PCM16 for `resp_1`, as the real API sends it. */
export const AUDIO_DELTA = JSON.stringify({
  type: 'response.output_audio.delta',
  event_id: 'evt',
  response_id: 'resp_1',
  item_id: 'item_1',
  output_index: 0,
  content_index: 0,
  delta: Buffer.alloc(960).toString('base64'),
});

/** Speech started/stopped, committed → response.created → 25 deltas → response.done. */
export function feedExchange(s: FedSession, id: string, usage: Record<string, unknown>): void {
  s.feed({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'u' });
  s.feed({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 0, item_id: 'u' });
  s.feed({ type: 'input_audio_buffer.committed', item_id: 'u', previous_item_id: null });
  s.feed({
    type: 'response.created',
    response: { id, object: 'realtime.response', status: 'in_progress', output: [] },
  });
  const d = AUDIO_DELTA.replace('resp_1', id);
  for (let i = 0; i < 25; i++) s.transport._onMessage({ data: d });
  s.feed({
    type: 'response.done',
    response: { id, object: 'realtime.response', status: 'completed', output: [], usage },
  });
}
