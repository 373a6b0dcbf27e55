import { safely } from '../safe.js';
import { sessionTracers } from './attach-session.js';

/**
 * Tells calltrace that the relay just sent agent audio on to the caller (e.g. wrote a Twilio
 * `media` message). Only the first call per turn is recorded, so calling it for every chunk
 * is cheap. Gives each turn `calltrace.turn.first_audio_sent_ms`, and counts the relay's
 * delay as ours in the wait split.
 */
export function markAudioSentToCaller(session: object): void {
  const spans = sessionTracers.get(session);
  if (spans) safely('markAudioSentToCaller', () => spans.audioSent());
}
