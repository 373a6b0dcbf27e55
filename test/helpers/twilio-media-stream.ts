/**
 * Twilio's side of a bidirectional Media Stream, simulated over a real WebSocket (Twilio docs,
 * "Media Streams - WebSocket Messages"): it sends `connected`, then `start` (stream/call sids,
 * mediaFormat audio/x-mulaw 8 kHz mono), then caller `media`; it plays the `media` the app sends
 * in real time, one chunk after another (8 bytes = 1 ms of mu-law), and echoes each `mark` "once
 * the preceding audio has finished playing". `clear` discards the buffered audio; the marks still
 * pending are echoed at once (the SDK's TwilioRealtimeTransportLayer expects those and ignores
 * them: `#clearedMarkNames`). `playoutDelayMs` models a jitter buffer: playback starts that much
 * after the first chunk arrives, so what the caller heard lags what the model sent.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface TwilioStreamOptions {
  streamSid?: string;
  callSid?: string;
  /** Delay between receiving agent audio and playing it (jitter buffer). Default 0. */
  playoutDelayMs?: number;
}

export class TwilioMediaStream {
  readonly received: Array<Record<string, any>> = [];
  /** Marks echoed back, by name, with whether they were played or cleared. */
  readonly echoed: Array<{ name: string; cleared: boolean }> = [];
  #playedUntil = 0; // performance.now() when the buffered audio will have played
  #pending = new Map<string, ReturnType<typeof setTimeout>>();
  #seq = 0;

  private constructor(
    readonly twilio: WebSocket, // Twilio's end
    readonly app: WebSocket, // the app server's end: hand this to the transport
    readonly options: Required<TwilioStreamOptions>,
  ) {
    twilio.on('message', (raw) => this.#onAppMessage(JSON.parse(raw.toString())));
  }

  /** A WebSocket pair on loopback: Twilio dials the app's media-stream endpoint. */
  static async open(options: TwilioStreamOptions = {}): Promise<TwilioMediaStream> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const appSide = once(wss, 'connection') as Promise<[WebSocket]>;
    const twilio = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/media`);
    await once(twilio, 'open');
    const [app] = await appSide;
    wss.close(); // no further connections; open sockets stay
    return new TwilioMediaStream(twilio, app, {
      streamSid: options.streamSid ?? 'MZ00000000000000000000000000000001',
      callSid: options.callSid ?? 'CA00000000000000000000000000000001',
      playoutDelayMs: options.playoutDelayMs ?? 0,
    });
  }

  /** `connected` then `start`, as Twilio opens every stream. */
  start(): void {
    this.#send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.#send({
      event: 'start',
      start: {
        streamSid: this.options.streamSid,
        callSid: this.options.callSid,
        accountSid: 'AC00000000000000000000000000000001',
        tracks: ['inbound'],
        customParameters: {},
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
      streamSid: this.options.streamSid,
    });
  }

  /** 20 ms of caller audio (mu-law silence). */
  callerMedia(timestampMs: number): void {
    this.#send({
      event: 'media',
      media: {
        track: 'inbound',
        chunk: String(++this.#seq),
        timestamp: String(timestampMs),
        payload: Buffer.alloc(160, 0xff).toString('base64'),
      },
      streamSid: this.options.streamSid,
    });
  }

  /** The call ends: Twilio sends `stop` and closes the socket. */
  stop(): void {
    this.#send({ event: 'stop', stop: { callSid: this.options.callSid } });
    this.twilio.close(1000);
  }

  /** Whether agent audio is still playing to the caller. */
  get playing(): boolean {
    return performance.now() < this.#playedUntil;
  }

  #onAppMessage(message: Record<string, any>): void {
    this.received.push(message);
    const now = performance.now();
    if (message.event === 'media') {
      const ms = Buffer.from(String(message.media?.payload ?? ''), 'base64').length / 8;
      const start = Math.max(
        now + (this.playing ? 0 : this.options.playoutDelayMs),
        this.#playedUntil,
      );
      this.#playedUntil = start + ms;
    } else if (message.event === 'mark') {
      const name = String(message.mark?.name);
      const timer = setTimeout(() => this.#echo(name, false), Math.max(0, this.#playedUntil - now));
      this.#pending.set(name, timer);
    } else if (message.event === 'clear') {
      this.#playedUntil = 0;
      for (const [name, timer] of this.#pending) {
        clearTimeout(timer);
        this.#echo(name, true);
      }
    }
  }

  #echo(name: string, cleared: boolean): void {
    this.#pending.delete(name);
    this.echoed.push({ name, cleared });
    this.#send({ event: 'mark', mark: { name }, streamSid: this.options.streamSid });
  }

  #send(message: Record<string, unknown>): void {
    if (this.twilio.readyState === WebSocket.OPEN) this.twilio.send(JSON.stringify(message));
  }
}
