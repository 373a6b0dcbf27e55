/**
 * OpenTelemetry semantic-convention keys calltrace borrows. The GenAI keys are still
 * "development" status (and deprecated in the JS semconv package), so they are copied
 * here `as const` instead of imported at runtime.
 */

export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name' as const;
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name' as const;
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id' as const;
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name' as const;
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model' as const;
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model' as const;
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id' as const;
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens' as const;
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens' as const;
/**
 * Usage keys go on inference spans only (chat, realtime response), never on agent/workflow
 * spans, so a per-trace sum counts each token once (aggregates: `UsageAggregateAttr`).
 * Cached and reasoning tokens are parts of input/output tokens, not additions to them
 * (semantic-conventions-genai model/gen-ai/registry.yaml).
 * Input tokens served from the prompt cache: OpenAI `input_tokens_details.cached_tokens`
 * (Responses, Realtime), `prompt_tokens_details.cached_tokens` (Chat Completions).
 */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS =
  'gen_ai.usage.cache_read.input_tokens' as const;
/** OpenAI `output_tokens_details.reasoning_tokens`. */
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS =
  'gen_ai.usage.reasoning.output_tokens' as const;
/** Realtime inference spans (semantic-conventions-genai gen-ai-realtime-spans.md). */
export const ATTR_GEN_AI_REALTIME_SESSION_ID = 'gen_ai.realtime_session.id' as const;
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons' as const;
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type' as const;
/** Parts of input/output tokens by modality (`input_token_details.audio_tokens` etc.). */
export const ATTR_GEN_AI_USAGE_AUDIO_INPUT_TOKENS = 'gen_ai.usage.audio.input_tokens' as const;
export const ATTR_GEN_AI_USAGE_AUDIO_OUTPUT_TOKENS = 'gen_ai.usage.audio.output_tokens' as const;
export const ATTR_GEN_AI_USAGE_TEXT_INPUT_TOKENS = 'gen_ai.usage.text.input_tokens' as const;
export const ATTR_GEN_AI_USAGE_TEXT_OUTPUT_TOKENS = 'gen_ai.usage.text.output_tokens' as const;
export const ATTR_GEN_AI_USAGE_AUDIO_CACHE_READ_INPUT_TOKENS =
  'gen_ai.usage.audio.cache_read.input_tokens' as const;
export const ATTR_GEN_AI_USAGE_TEXT_CACHE_READ_INPUT_TOKENS =
  'gen_ai.usage.text.cache_read.input_tokens' as const;
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name' as const;
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type' as const;
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id' as const;
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments' as const;
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result' as const;
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages' as const;
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages' as const;
export const ATTR_ERROR_TYPE = 'error.type' as const;
export const ATTR_EXCEPTION_MESSAGE = 'exception.message' as const;

/** Values of `gen_ai.operation.name` used by calltrace. */
export const GEN_AI_OPERATION = {
  chat: 'chat',
  invokeAgent: 'invoke_agent',
  executeTool: 'execute_tool',
  invokeWorkflow: 'invoke_workflow',
  realtimeInference: 'realtime_inference',
} as const;

export const GEN_AI_PROVIDER_OPENAI = 'openai' as const;

/** HTTP semantic-convention keys (stable), for the Express/Hono server spans and the fetch client span. */
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;
export const ATTR_HTTP_ROUTE = 'http.route' as const;
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code' as const;
export const ATTR_URL_PATH = 'url.path' as const;
export const ATTR_SERVER_ADDRESS = 'server.address' as const;
export const ATTR_SERVER_PORT = 'server.port' as const;

/** Messaging semantic-convention keys (development status, copied `as const`), for NATS, BullMQ and ws spans. */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system' as const;
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name' as const;
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type' as const;

/** Values of `messaging.operation.type`. */
export const MESSAGING_OPERATION = {
  send: 'send',
  receive: 'receive',
  process: 'process',
} as const;

/** GenAI metric attribute (gen-ai-metrics.md): `input` | `output`. */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type' as const;
