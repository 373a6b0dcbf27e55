/**
 * Builders for the GA Realtime server events the fake sends. Shapes follow the API reference as
 * shipped in the `openai` SDK (node_modules/openai/resources/realtime/realtime.d.ts, 7.59) and
 * the schemas @openai/agents-realtime 0.20 parses them with (dist/openaiRealtimeEvents.mjs,
 * dist/items.mjs): a field the SDK requires is always present.
 */
import type { FakeUsage } from './fake-realtime-types.js';

type Json = Record<string, any>;

/**
 * Turn detection as the server reports it: the client's object with the server's defaults
 * filled in. realtime.d.ts `RealtimeAudioInputTurnDetection`: server_vad defaults
 * threshold 0.5, prefix_padding_ms 300, silence_duration_ms 500; both types default
 * `create_response` and `interrupt_response` to true (the SDK reads `interrupt_response` from
 * `session.updated` to decide whether IT must cancel: openaiRealtimeWebsocket.mjs,
 * `input_audio_buffer.speech_started`). `null` stays null: push-to-talk.
 */
export function withTurnDetectionDefaults(td: Json | null | undefined): Json | null {
  if (td === null) return null;
  const type = td?.type ?? 'server_vad';
  const common = { create_response: true, interrupt_response: true };
  if (type === 'semantic_vad') return { type, eagerness: 'auto', ...common, ...td };
  return {
    type,
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    idle_timeout_ms: null,
    ...common,
    ...td,
  };
}

/** The session the server starts with (realtime.d.ts `RealtimeSessionCreateRequest`). */
export function defaultSession(id: string, model: string): Json {
  return {
    id,
    object: 'realtime.session',
    type: 'realtime',
    model,
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: withTurnDetectionDefaults({ type: 'server_vad' }),
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
    },
    tools: [],
    tool_choice: 'auto',
    tracing: null,
  };
}

/** `session.update` merges into the session; `session.updated` echoes the whole result. */
export function mergeSession(current: Json, update: Json): Json {
  const next: Json = { ...current, ...update, id: current.id, object: current.object };
  const input = { ...current.audio?.input, ...update.audio?.input };
  if (update.audio?.input && 'turn_detection' in update.audio.input)
    input.turn_detection = withTurnDetectionDefaults(update.audio.input.turn_detection);
  next.audio = { input, output: { ...current.audio?.output, ...update.audio?.output } };
  return next;
}

/**
 * Bytes of audio per ms for the session's output format, as the SDK measures it
 * (openaiRealtimeWebsocket.mjs `response.output_audio.delta`): PCMU/PCMA and the legacy
 * `g711_*` strings are 8 kHz × 1 byte; `audio/pcm` is rate × 2 bytes (24 kHz default).
 */
export function bytesPerMs(format: unknown): number {
  if (typeof format === 'string') return format.startsWith('g711_') ? 8 : 48;
  const f = format as Json | undefined;
  if (f?.type === 'audio/pcmu' || f?.type === 'audio/pcma') return 8;
  return ((f?.rate ?? 24000) * 2) / 1000;
}

/** realtime.d.ts `RealtimeResponse`. */
export function responseObject(id: string, status: string, output: Json[], extra: Json = {}): Json {
  return {
    id,
    object: 'realtime.response',
    status,
    status_details: null,
    output,
    conversation_id: 'conv_fake',
    output_modalities: ['audio'],
    usage: null,
    metadata: null,
    ...extra,
  };
}

/**
 * realtime.d.ts `RealtimeResponseUsage`: cached tokens are a subset of input tokens, split into
 * `cached_tokens_details`; text tokens are what audio does not account for.
 */
export function usageObject(u: FakeUsage = { input_tokens: 0, output_tokens: 0 }): Json {
  const inAudio = u.input_audio_tokens ?? 0;
  const outAudio = u.output_audio_tokens ?? 0;
  const cachedAudio = u.cached_audio_tokens ?? 0;
  const cached = u.cached_tokens ?? cachedAudio + (u.cached_text_tokens ?? 0);
  return {
    total_tokens: u.input_tokens + u.output_tokens,
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    input_token_details: {
      cached_tokens: cached,
      audio_tokens: inAudio,
      text_tokens: Math.max(0, u.input_tokens - inAudio),
      image_tokens: 0,
      cached_tokens_details: {
        audio_tokens: cachedAudio,
        text_tokens: u.cached_text_tokens ?? Math.max(0, cached - cachedAudio),
        image_tokens: 0,
      },
    },
    output_token_details: {
      audio_tokens: outAudio,
      text_tokens: Math.max(0, u.output_tokens - outAudio),
    },
  };
}

/**
 * `rate_limits.updated`, "emitted at the beginning of a Response" with the output tokens
 * reserved (realtime.d.ts `RateLimitsUpdatedEvent`).
 */
export function rateLimitsUpdated(): Json {
  return {
    type: 'rate_limits.updated',
    rate_limits: [
      { name: 'requests', limit: 5000, remaining: 4999, reset_seconds: 0.012 },
      { name: 'tokens', limit: 400000, remaining: 394000, reset_seconds: 0.9 },
    ],
  };
}

/** The caller's audio turn as an item (items.mjs: `input_audio` needs `transcript`, nullable). */
export function userAudioItem(id: string, status: string, transcript: string | null): Json {
  return {
    id,
    object: 'realtime.item',
    type: 'message',
    role: 'user',
    status,
    content: [{ type: 'input_audio', transcript }],
  };
}

/** An assistant audio message (realtime.d.ts `RealtimeConversationItemAssistantMessage`). */
export function assistantItem(id: string, status: string, transcript?: string): Json {
  return {
    id,
    object: 'realtime.item',
    type: 'message',
    role: 'assistant',
    status,
    content: transcript === undefined ? [] : [{ type: 'output_audio', transcript }],
  };
}

/** realtime.d.ts `RealtimeConversationItemFunctionCall`. */
export function functionCallItem(
  id: string,
  status: string,
  call: { callId: string; name: string },
  args: string,
): Json {
  return {
    id,
    object: 'realtime.item',
    type: 'function_call',
    status,
    call_id: call.callId,
    name: call.name,
    arguments: args,
  };
}
