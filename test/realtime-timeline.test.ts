import { describe, expect, it } from 'vitest';
import { VoiceTimeline, type TimelineOptions } from '../src/realtime/timeline.js';
import type { ExchangeRecord } from '../src/realtime/timeline-types.js';

/** A timeline with a recording sink. All times are explicit ms: no clock, no sleeps. */
function timeline(options?: TimelineOptions) {
  const opened: ExchangeRecord[] = [];
  const closed: ExchangeRecord[] = [];
  const t = new VoiceTimeline(
    {
      opened: (x) => {
        opened.push(x);
        return x.index;
      },
      closed: (x) => closed.push(x),
    },
    options,
  );
  /** 20 ms of audio per delta, like the real API. */
  const audio = (from: number, id: string, chunks: number) => {
    for (let i = 0; i < chunks; i++) t.audioDelta(id, 20, () => from + i);
  };
  const speech = (start: number, stop: number) => {
    t.speechStarted(start, start);
    t.speechStopped(stop, stop + 500);
    t.inputCommitted(stop + 1);
  };
  return { t, opened, closed, audio, speech };
}

describe('the caller’s wait (explicit timestamps)', () => {
  it('measures speech_stopped → first model audio received, and when the response was created', () => {
    const { t, closed, audio, speech } = timeline();
    speech(1000, 2000);
    t.responseCreated(2300, 'r1');
    audio(2640, 'r1', 10);
    t.responseDone(2700, 'r1', false, false);
    t.end(9000);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.figures).toEqual({
      anchor: 'speech_stopped',
      firstAudioMs: 640,
      source: 'model_audio_received',
      receivedMs: 640,
      responseCreatedMs: 300,
      toolMs: 0,
      oursMs: 0,
      modelMs: 640,
    });
    expect(closed[0]!.status).toBe('answered');
    expect(closed[0]!.speechAudioEndMs).toBe(2500);
  });

  it('keeps a tool round trip in one exchange and splits the wait into ours and the model’s', () => {
    const { t, opened, closed, audio, speech } = timeline();
    speech(0, 1000);
    t.responseCreated(1050, 'r1');
    t.responseDone(1100, 'r1', true, false);
    t.toolStarted(1110);
    t.toolEnded(1230);
    t.responseCreated(1260, 'r2');
    audio(1340, 'r2', 5);
    t.responseDone(1400, 'r2', false, false);
    t.end(5000);
    expect(opened).toHaveLength(1);
    const x = closed[0]!;
    expect(x.responseIds).toEqual(['r1', 'r2']);
    expect(x.figures).toMatchObject({ firstAudioMs: 340, toolMs: 120, oursMs: 120, modelMs: 220 });
  });

  it('counts parallel tools once, and only until the first audio', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(110, 'r1');
    t.toolStarted(120);
    t.toolStarted(130);
    t.toolEnded(150);
    audio(170, 'r1', 3); // a preamble while the second tool still runs
    t.toolEnded(400);
    t.responseDone(410, 'r1', false, false);
    t.end(1000);
    expect(closed[0]!.figures).toMatchObject({ firstAudioMs: 70, toolMs: 50, oursMs: 50 });
  });

  it('takes the relay’s send time as the first audio, and its delay as ours', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(400, 'r1', 3);
    t.audioSent(440);
    t.audioSent(460); // only the first counts
    t.responseDone(450, 'r1', false, false);
    t.end(1000);
    expect(closed[0]!.figures).toMatchObject({
      source: 'relay_sent',
      firstAudioMs: 340,
      receivedMs: 300,
      sentMs: 340,
      oursMs: 40,
      modelMs: 300,
    });
  });

  it('takes output_audio_buffer.started as the first audio on SIP/WebRTC (no deltas)', () => {
    const { t, closed, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    t.responseDone(300, 'r1', false, false);
    t.outputBufferStarted(520, 'r1');
    t.outputBufferEnded(2000, 'r1');
    t.end(3000);
    expect(closed[0]!.figures).toMatchObject({
      source: 'server_output_buffer_started',
      firstAudioMs: 420,
    });
    expect(closed[0]!.figures!.receivedMs).toBeUndefined();
    expect(closed[0]!.endedAt).toBe(2000); // the server's playback end, after response.done
  });

  it('anchors push-to-talk on input_audio_buffer.committed', () => {
    const { t, opened, closed, audio } = timeline();
    t.inputCommitted(500);
    t.responseCreated(520, 'r1');
    audio(800, 'r1', 2);
    t.responseDone(820, 'r1', false, false);
    t.inputCommitted(2000);
    t.responseCreated(2010, 'r2');
    audio(2100, 'r2', 2);
    t.end(3000);
    expect(opened.map((x) => x.input)).toEqual(['push_to_talk', 'push_to_talk']);
    expect(closed[0]!.figures).toMatchObject({ anchor: 'input_committed', firstAudioMs: 300 });
    expect(closed[1]!.figures).toMatchObject({ firstAudioMs: 100 });
    expect(closed[1]!.status).toBe('unfinished');
  });

  it('does not open a push-to-talk exchange for the VAD’s own commit', () => {
    const { t, opened, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    t.end(200);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.input).toBe('speech');
    expect(opened[0]!.committedAt).toBe(101);
  });

  it('a speech turn answered without audio does not leak its start into the next response', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1'); // text-only answer
    t.responseDone(200, 'r1', false, false);
    t.responseCreated(900, 'r2'); // the app's own response.create, nobody spoke
    audio(1000, 'r2', 2);
    t.responseDone(1010, 'r2', false, false);
    t.end(2000);
    expect(closed).toHaveLength(2);
    expect(closed[0]!.status).toBe('no_audio');
    expect(closed[0]!.figures).toBeUndefined();
    expect(closed[1]!.input).toBe('none');
    expect(closed[1]!.figures).toBeUndefined();
    expect(closed[1]!.status).toBe('answered');
  });

  it('an exchange without caller audio (a greeting) has no figures', () => {
    const { t, closed, audio } = timeline();
    t.responseCreated(10, 'r1');
    audio(200, 'r1', 5);
    t.responseDone(210, 'r1', false, false);
    t.end(1000);
    expect(closed[0]!.input).toBe('none');
    expect(closed[0]!.figures).toBeUndefined();
  });

  it('speech that got no response opens no exchange', () => {
    const { t, opened, closed, speech } = timeline();
    speech(0, 100);
    t.end(500);
    expect(opened).toHaveLength(0);
    expect(closed).toHaveLength(0);
  });

  it('ends an exchange when its audio has played out, capped by the next turn', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 50); // 1000 ms of audio, received in 50 ms
    t.responseDone(260, 'r1', false, false);
    speech(1500, 1800);
    t.responseCreated(1850, 'r2');
    t.end(1900);
    expect(closed[0]!.endedAt).toBe(1200);
    expect(closed[0]!.bargeIn).toBeUndefined();
    expect(closed[1]!.startedAt).toBe(1500);
    expect(closed[1]!.endedAt).toBe(1900); // unfinished: the session end
  });
});

describe('barge-in (explicit timestamps)', () => {
  it('is speech_started while agent audio is still playing, with how far into it', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 50); // plays 200 → 1200
    t.responseDone(260, 'r1', false, false);
    t.speechStarted(700, 700);
    t.truncated(500);
    t.end(2000);
    expect(closed[0]!.bargeIn).toEqual({
      at: 700,
      responseId: 'r1',
      elapsedMs: 500,
      audioEndMs: 500,
    });
    expect(closed[0]!.status).toBe('interrupted');
    expect(closed[0]!.endedAt).toBe(700);
  });

  it('speech after the audio has played out is not a barge-in', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 3); // plays 200 → 260
    t.responseDone(205, 'r1', false, false);
    t.speechStarted(400, 400);
    t.transportInterrupted(400); // the WebSocket SDK emits audio_interrupted anyway
    t.end(1000);
    expect(closed[0]!.bargeIn).toBeUndefined();
    expect(closed[0]!.status).toBe('answered');
    expect(closed[0]!.interruptions).toEqual([]);
  });

  it('is attributed to the response whose audio was cut, not the newest one', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 50); // "let me check…" plays 200 → 1200
    t.responseDone(260, 'r1', true, false);
    t.toolStarted(270);
    t.toolEnded(300);
    t.responseCreated(320, 'r2'); // already created when the caller cuts in
    t.speechStarted(600, 600);
    t.end(2000);
    expect(closed[0]!.bargeIn).toMatchObject({ responseId: 'r1', elapsedMs: 400 });
  });

  it('on SIP/WebRTC: speech_started while the server buffer plays, then cleared', () => {
    const { t, closed, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    t.outputBufferStarted(400, 'r1');
    t.responseDone(450, 'r1', false, false);
    t.speechStarted(1400, 1400);
    t.outputBufferEnded(1410, 'r1');
    t.truncated(990);
    t.end(3000);
    expect(closed[0]!.bargeIn).toEqual({
      at: 1400,
      responseId: 'r1',
      elapsedMs: 1000,
      audioEndMs: 990,
    });
  });

  it('on SIP/WebRTC: speech after output_audio_buffer.stopped is not a barge-in', () => {
    const { t, closed, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    t.outputBufferStarted(400, 'r1');
    t.outputBufferEnded(900, 'r1');
    t.responseDone(450, 'r1', false, false);
    t.speechStarted(1400, 1400);
    t.end(3000);
    expect(closed[0]!.bargeIn).toBeUndefined();
  });

  it('a manual or guardrail interruption is recorded as such, and later speech is no barge-in', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 50);
    t.interrupted(300, 'guardrail');
    t.responseDone(310, 'r1', false, false);
    t.speechStarted(500, 500); // 200 + 1000 ms of received audio would still be "playing"
    t.end(2000);
    expect(closed[0]!.bargeIn).toBeUndefined();
    expect(closed[0]!.interruptions).toEqual([{ at: 300, kind: 'guardrail', responseId: 'r1' }]);
    expect(closed[0]!.status).toBe('interrupted');
  });

  it('audio_interrupted outside speech and session.interrupt() is manual', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 50);
    t.transportInterrupted(400);
    t.end(2000);
    expect(closed[0]!.interruptions).toEqual([{ at: 400, kind: 'manual', responseId: 'r1' }]);
    expect(closed[0]!.bargeIn).toBeUndefined();
  });

  it('trusts a Twilio-style transport that confirms playback right after speech_started', () => {
    const { t, closed, audio, speech } = timeline({ transportConfirmsPlayback: true });
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 5); // 100 ms received, but Twilio still plays it at 900
    t.responseDone(210, 'r1', false, false);
    t.speechStarted(900, 900);
    t.transportInterrupted(900);
    t.end(2000);
    expect(closed[0]!.bargeIn).toMatchObject({ responseId: 'r1', elapsedMs: 700 });
  });

  it('without the Twilio option the same sequence is not a barge-in', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 5);
    t.responseDone(210, 'r1', false, false);
    t.speechStarted(900, 900);
    t.transportInterrupted(900);
    t.end(2000);
    expect(closed[0]!.bargeIn).toBeUndefined();
  });

  it('closes a cut exchange at the next anchor when no truncation comes', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 50);
    t.speechStarted(500, 500);
    expect(closed).toHaveLength(0); // waits for conversation.item.truncated
    t.speechStopped(900, 900);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.bargeIn!.audioEndMs).toBeUndefined();
  });

  it('counts one barge-in per exchange and marks a failed response', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    t.responseDone(200, 'r1', false, true);
    t.end(300);
    expect(closed[0]!.status).toBe('failed');
    speech(400, 500);
    t.responseCreated(510, 'r2');
    audio(600, 'r2', 50);
    t.speechStarted(700, 700);
    t.speechStarted(710, 710);
    t.end(2000);
    expect(closed.filter((x) => x.bargeIn)).toHaveLength(1);
  });

  it('an answered exchange can close once its audio has played out; later speech is no barge-in', () => {
    const { t, closed, audio, speech } = timeline();
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 10); // plays 200 → 400
    expect(t.answerEndsAt()).toBeUndefined(); // the response is not done yet
    t.responseDone(220, 'r1', false, false);
    expect(t.answerEndsAt()).toBe(400);
    t.tick(399);
    expect(closed).toHaveLength(0);
    t.tick(400);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.endedAt).toBe(400);
    t.speechStarted(450, 450);
    t.end(600);
    expect(closed[0]!.bargeIn).toBeUndefined();
  });

  it('waits for output_audio_buffer.stopped before an exchange played by the server is over', () => {
    const { t } = timeline();
    t.speechStarted(0);
    t.speechStopped(100);
    t.responseCreated(150, 'r1');
    t.outputBufferStarted(300, 'r1');
    t.responseDone(320, 'r1', false, false);
    expect(t.answerEndsAt()).toBeUndefined();
    t.outputBufferEnded(900, 'r1');
    expect(t.answerEndsAt()).toBe(900);
  });

  it('with server playback, a response done before its buffer started keeps the exchange open', () => {
    const { t } = timeline({ serverPlayback: true });
    t.speechStarted(0);
    t.speechStopped(100);
    t.responseCreated(150, 'r1');
    t.responseDone(320, 'r1', false, false);
    expect(t.answerEndsAt()).toBeUndefined();
    t.outputBufferStarted(400, 'r1');
    t.outputBufferEnded(900, 'r1');
    expect(t.answerEndsAt()).toBe(900);
  });

  it('once the relay reports sends, an answer is not over before its first send', () => {
    const { t, audio, speech } = timeline();
    t.audioSent(0); // the relay is known to report
    speech(0, 100);
    t.responseCreated(150, 'r1');
    audio(200, 'r1', 3);
    t.responseDone(210, 'r1', false, false);
    expect(t.answerEndsAt()).toBeUndefined();
    t.audioSent(300);
    expect(t.answerEndsAt()).toBe(360); // played from the send: 300 + 60 ms
  });
});
