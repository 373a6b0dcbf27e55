/**
 * The caller's side of a fake connection: the input audio buffer and the server's turn
 * detection (VAD). realtime.d.ts: `InputAudioBufferSpeechStartedEvent` / `SpeechStoppedEvent`
 * (`audio_start_ms` / `audio_end_ms` on the buffer's audio clock), `InputAudioBufferCommittedEvent`
 * (then the user item: `conversation.item.added` / `.done`), and `RealtimeAudioInputTurnDetection`
 * (`interrupt_response`: a speech start cancels the response in progress; `create_response`: the
 * end of a turn creates one). `turn_detection: null` is push-to-talk: no speech events at all.
 */
import { userAudioItem } from './fake-realtime-events.js';
import type { ServerPlayback } from './fake-realtime-playback.js';
import type { FakeTransportMode } from './fake-realtime-types.js';

type Json = Record<string, any>;
const wait = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** What the caller's side needs from its connection. */
export interface CallerHost {
  readonly mode: FakeTransportMode;
  readonly turnDetection: Json | null;
  readonly playback: ServerPlayback | undefined;
  readonly clientEvents: Json[];
  readonly activeResponseId: string | undefined;
  send(event: Json): void;
  nextId(prefix: string): string;
  addItem(item: Json): string | null;
  cancelResponse(reason: 'turn_detected'): void;
  responseDue(): void;
}

export interface CallerSpeechOptions {
  /** How long the caller talks. Default 0. */
  speechMs?: number;
  /** The VAD's silence window: speech_stopped comes this long after the speech ends. Default 0. */
  silenceMs?: number;
  /** Transcript of the caller's audio (sent as input_audio_transcription.completed). */
  transcript?: string;
}

export class CallerInput {
  #audioMs = 0; // the input audio clock (audio_start_ms / audio_end_ms)
  #bytes = 0; // appended and not yet committed (push-to-talk)
  #speechStarts = 0;

  constructor(private readonly host: CallerHost) {}

  async speech({ speechMs = 0, silenceMs = 0, transcript }: CallerSpeechOptions = {}) {
    const itemId = this.startsSpeaking();
    if (this.host.mode === 'sip') await this.#clearsAnswered();
    await wait(speechMs);
    const audioEnd = this.#audioMs + speechMs;
    await wait(silenceMs);
    this.#audioMs = audioEnd + silenceMs;
    this.host.send({
      type: 'input_audio_buffer.speech_stopped',
      audio_end_ms: audioEnd,
      item_id: itemId,
    });
    this.#commit(itemId, transcript);
    if (this.host.turnDetection?.create_response) this.host.responseDue();
  }

  startsSpeaking(): string {
    const td = this.host.turnDetection;
    if (td === null)
      throw new Error(
        'turn_detection is null (push-to-talk): the server emits no speech events; the client commits the audio',
      );
    const itemId = this.host.nextId('item_user');
    this.#speechStarts++;
    this.host.send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: this.#audioMs,
      item_id: itemId,
    });
    if (td.interrupt_response) {
      if (this.host.activeResponseId) this.host.cancelResponse('turn_detected');
      this.host.playback?.clear();
    }
    return itemId;
  }

  append(bytes: number): void {
    this.#bytes += bytes;
  }

  /** The client's commit; false when the buffer was empty. */
  commit(): boolean {
    if (this.#bytes === 0) return false;
    this.#commit(this.host.nextId('item_user'));
    return true;
  }

  /**
   * SIP: `OpenAIRealtimeSIP` answers every speech_started with `output_audio_buffer.clear`
   * (openaiRealtimeSip.mjs `interrupt()`); wait for it (up to 1 s) so it cannot land on the
   * next answer's audio — live, the VAD's silence window leaves it that time.
   */
  async #clearsAnswered(): Promise<void> {
    const deadline = performance.now() + 1000;
    const clears = () =>
      this.host.clientEvents.filter((e) => e.type === 'output_audio_buffer.clear').length;
    while (clears() < this.#speechStarts && performance.now() < deadline) await wait(5);
  }

  #commit(itemId: string, transcript?: string): void {
    this.#bytes = 0;
    const host = this.host;
    const previous = host.addItem(userAudioItem(itemId, 'completed', transcript ?? null));
    host.send({
      type: 'input_audio_buffer.committed',
      item_id: itemId,
      previous_item_id: previous,
    });
    const item = userAudioItem(itemId, 'in_progress', null);
    host.send({ type: 'conversation.item.added', previous_item_id: previous, item });
    host.send({
      type: 'conversation.item.done',
      previous_item_id: previous,
      item: userAudioItem(itemId, 'completed', null),
    });
    if (transcript !== undefined)
      host.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript,
      });
  }
}
