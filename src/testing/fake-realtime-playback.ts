/**
 * The server-side output audio buffer of a SIP or WebRTC session: there the audio goes to the
 * caller over RTP, so the SERVER knows what has played. realtime.d.ts
 * (`RealtimeServerEvent.OutputAudioBufferStarted/Stopped/Cleared`, "WebRTC/SIP Only"):
 * - `output_audio_buffer.started` when the server begins streaming a response's audio (after
 *   its audio content part was added);
 * - `output_audio_buffer.stopped` when the buffer has drained, after `response.done`;
 * - `output_audio_buffer.cleared` when the caller interrupted (VAD speech_started) or the client
 *   sent `output_audio_buffer.clear` — and the server truncates the item to what was heard
 *   (`conversation.item.truncated`): openaiRealtimeSip.mjs `interrupt()` sends only the clear,
 *   "SIP playback and its truncation boundary are owned by the server".
 * Audio plays in real time, one response after another.
 */
type Send = (event: Record<string, unknown>) => void;

interface Segment {
  responseId: string;
  itemId: string;
  generatedMs: number;
  done: boolean;
  startedAt?: number;
}

export class ServerPlayback {
  #queue: Segment[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: Send,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A response's audio content part was added: its audio joins the buffer. */
  begin(responseId: string, itemId: string): void {
    this.#queue.push({ responseId, itemId, generatedMs: 0, done: false });
    if (this.#queue.length === 1) this.#startHead();
  }

  /** The model produced `ms` more audio for `responseId`. */
  generated(responseId: string, ms: number): void {
    const seg = this.#queue.find((s) => s.responseId === responseId);
    if (seg) seg.generatedMs += ms;
  }

  /** `response.done` was sent for `responseId`: its audio can drain. */
  responseDone(responseId: string): void {
    const seg = this.#queue.find((s) => s.responseId === responseId);
    if (!seg) return;
    seg.done = true;
    if (seg === this.#queue[0]) this.#scheduleStop();
  }

  /** Whether audio is playing to the caller now. */
  get playing(): boolean {
    return this.#queue[0]?.startedAt !== undefined;
  }

  /** Cuts the audio: `cleared` for the playing response, its item truncated at what played. */
  clear(): boolean {
    const head = this.#queue[0];
    this.#stopTimer();
    this.#queue = [];
    if (head?.startedAt === undefined) return false;
    const played = Math.min(this.now() - head.startedAt, head.generatedMs);
    this.send({ type: 'output_audio_buffer.cleared', response_id: head.responseId });
    this.send({
      type: 'conversation.item.truncated',
      item_id: head.itemId,
      content_index: 0,
      audio_end_ms: Math.max(0, Math.floor(played)),
    });
    return true;
  }

  close(): void {
    this.#stopTimer();
    this.#queue = [];
  }

  #startHead(): void {
    const head = this.#queue[0];
    if (!head) return;
    head.startedAt = this.now();
    this.send({ type: 'output_audio_buffer.started', response_id: head.responseId });
    if (head.done) this.#scheduleStop();
  }

  #scheduleStop(): void {
    const head = this.#queue[0];
    if (!head?.done || head.startedAt === undefined) return;
    this.#stopTimer();
    const remaining = head.startedAt + head.generatedMs - this.now();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#queue.shift();
        this.send({ type: 'output_audio_buffer.stopped', response_id: head.responseId });
        this.#startHead();
      },
      Math.max(0, remaining),
    );
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
