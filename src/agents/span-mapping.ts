import { SpanKind, type Attributes, type Span } from '@opentelemetry/api';
import type { SpanData } from '@openai/agents-core';
import { SdkAttr } from '../attributes.js';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER_OPENAI,
} from '../semconv.js';
import { readUsage, setAggregateUsage, setInferenceUsage } from '../usage.js';

/** How an Agents SDK span starts as an OTel span. */
export interface StartShape {
  name: string;
  kind: SpanKind;
  /** Short name passed to `spanNameHook` (agent, tool or model). */
  subject?: string;
  attributes: Attributes;
}

type AnyData = SpanData | { type: string; [key: string]: unknown };

/**
 * Name, kind and the attributes known at start, per SDK span type, with the provider and (in a
 * call) `gen_ai.conversation.id`. Unknown types still map. Hot path: fills `into` (the bridge
 * reuses one) and builds the attributes in one literal per type (cloning a template with a
 * spread cost about a microsecond).
 */
export function startShape(
  data: AnyData,
  conversationId: string | undefined,
  into: StartShape = { name: '', kind: SpanKind.INTERNAL, subject: undefined, attributes: {} },
): StartShape {
  const d = data as Record<string, any>;
  let attributes: Attributes;
  let name: string;
  let subject: string | undefined;
  let kind = SpanKind.INTERNAL;
  switch (data.type) {
    case 'function':
      subject = d.name;
      name = `${GEN_AI_OPERATION.executeTool} ${subject}`;
      attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.executeTool,
        [ATTR_GEN_AI_TOOL_NAME]: subject,
        [ATTR_GEN_AI_TOOL_TYPE]: 'function',
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    case 'task':
      subject = d.name;
      name = `${GEN_AI_OPERATION.invokeWorkflow} ${subject}`;
      attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.invokeWorkflow,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    case 'agent':
      subject = d.name;
      name = `${GEN_AI_OPERATION.invokeAgent} ${subject}`;
      attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.invokeAgent,
        [ATTR_GEN_AI_AGENT_NAME]: subject,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    case 'turn':
      subject = d.agent_name;
      name = `turn ${subject}`;
      attributes = {
        [ATTR_GEN_AI_AGENT_NAME]: subject,
        [SdkAttr.turnNumber]: d.turn,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    case 'generation':
    case 'response':
      // Often unknown yet (Chat Completions sets it after the start): named again at the end.
      subject = typeof d.model === 'string' && d.model ? d.model : undefined;
      name = subject ? `${GEN_AI_OPERATION.chat} ${subject}` : GEN_AI_OPERATION.chat;
      kind = SpanKind.CLIENT;
      attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.chat,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      if (subject) attributes[ATTR_GEN_AI_REQUEST_MODEL] = subject;
      break;
    case 'handoff':
      subject = d.to_agent;
      name = 'handoff';
      attributes = { [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI };
      break;
    case 'guardrail':
      subject = d.name;
      name = `guardrail ${subject}`;
      attributes = {
        [SdkAttr.guardrailName]: subject,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    case 'mcp_tools':
      subject = d.server;
      name = `list_tools ${subject ?? 'mcp'}`;
      attributes = {
        [SdkAttr.mcpServer]: subject,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    case 'custom':
      subject = d.name;
      name = `${subject}`;
      attributes = {
        [SdkAttr.customName]: subject,
        [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI,
      };
      break;
    default:
      name = `agents.${String(data.type)}`;
      attributes = { [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI };
  }
  if (conversationId !== undefined) attributes[ATTR_GEN_AI_CONVERSATION_ID] = conversationId;
  into.name = name;
  into.kind = kind;
  into.subject = subject;
  into.attributes = attributes;
  return into;
}

export interface EndOptions {
  captureContent: boolean;
  maxContentLength: number;
}

const FAKE_CHAT_ID = 'FAKE_ID'; // agents-openai's placeholder id for streamed Chat Completions

/**
 * Attributes known only when the SDK span ends: model, usage, response ids, handoff target,
 * content. Returns the model a chat span should be named after (`chat {model}`), read now
 * because Chat Completions fills `spanData.model` after the span started.
 */
export function applyEnd(span: Span, data: AnyData, o: EndOptions): string | undefined {
  const d = data as Record<string, any>;
  switch (data.type) {
    case 'generation': {
      // Chat Completions puts the whole ChatCompletion (model, id, usage) in output[0].
      const completion = Array.isArray(d.output) ? objectOf(d.output[0]) : undefined;
      const model = typeof d.model === 'string' && d.model ? d.model : undefined;
      const responseModel =
        typeof completion?.model === 'string' && completion.model ? completion.model : model;
      if (model) span.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, model);
      if (responseModel) span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, responseModel);
      const id = completion?.id;
      if (completion?.object === 'chat.completion' && typeof id === 'string' && id !== FAKE_CHAT_ID)
        span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, id);
      let usage = readUsage(d.usage);
      if (usage.input === undefined && usage.output === undefined)
        usage = readUsage(completion?.usage);
      setInferenceUsage(span, usage);
      if (o.captureContent) {
        setContent(span, ATTR_GEN_AI_INPUT_MESSAGES, d.input, o);
        setContent(span, ATTR_GEN_AI_OUTPUT_MESSAGES, d.output, o);
      }
      return model ?? responseModel;
    }
    case 'response': {
      const r = objectOf(d._response);
      if (typeof d.response_id === 'string')
        span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, d.response_id);
      const model = typeof r?.model === 'string' && r.model ? r.model : undefined;
      if (model) span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, model);
      setInferenceUsage(span, readUsage(r?.usage));
      if (o.captureContent) {
        setContent(span, ATTR_GEN_AI_INPUT_MESSAGES, d._input, o);
        setContent(span, ATTR_GEN_AI_OUTPUT_MESSAGES, r?.output, o);
      }
      return model;
    }
    case 'function':
      if (o.captureContent) {
        setContent(span, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, d.input, o);
        setContent(span, ATTR_GEN_AI_TOOL_CALL_RESULT, d.output, o);
      }
      return undefined;
    case 'handoff':
      if (d.from_agent) span.setAttribute(SdkAttr.handoffFrom, d.from_agent);
      if (d.to_agent) {
        span.setAttribute(SdkAttr.handoffTo, d.to_agent);
        span.updateName(`handoff ${d.to_agent}`);
      }
      return undefined;
    case 'guardrail':
      span.setAttribute(SdkAttr.guardrailTriggered, d.triggered === true);
      return undefined;
    case 'task':
    case 'turn':
      // Sums of the chat spans below: calltrace.* keys, so gen_ai.usage.* counts each token once.
      setAggregateUsage(span, readUsage(d.usage));
      return undefined;
  }
  return undefined;
}

function objectOf(v: unknown): Record<string, any> | undefined {
  return v && typeof v === 'object' ? (v as Record<string, any>) : undefined;
}

function setContent(span: Span, key: string, value: unknown, o: EndOptions): void {
  if (value === undefined || value === null || value === '') return;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return;
  }
  if (typeof text !== 'string') return;
  span.setAttribute(
    key,
    text.length > o.maxContentLength ? text.slice(0, o.maxContentLength) : text,
  );
}
