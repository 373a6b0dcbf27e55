import { SpanKind, type Attributes, type Span } from '@opentelemetry/api';
import type { SpanData } from '@openai/agents-core';
import { SdkAttr } from '../attributes.js';
import {
  ATTR_GEN_AI_AGENT_NAME,
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
  GEN_AI_OPERATION,
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

/** Name, kind and the attributes known at start, per SDK span type. Unknown types still map. */
export function startShape(data: AnyData): StartShape {
  const d = data as Record<string, any>;
  switch (data.type) {
    case 'task':
      return shape(`${GEN_AI_OPERATION.invokeWorkflow} ${d.name}`, d.name, {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.invokeWorkflow,
      });
    case 'agent':
      return shape(`${GEN_AI_OPERATION.invokeAgent} ${d.name}`, d.name, {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.invokeAgent,
        [ATTR_GEN_AI_AGENT_NAME]: d.name,
      });
    case 'turn':
      return shape(`turn ${d.agent_name}`, d.agent_name, {
        [ATTR_GEN_AI_AGENT_NAME]: d.agent_name,
        [SdkAttr.turnNumber]: d.turn,
      });
    case 'function':
      return shape(`${GEN_AI_OPERATION.executeTool} ${d.name}`, d.name, {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.executeTool,
        [ATTR_GEN_AI_TOOL_NAME]: d.name,
        [ATTR_GEN_AI_TOOL_TYPE]: 'function',
      });
    case 'generation':
    case 'response': {
      const model = typeof d.model === 'string' ? d.model : undefined;
      const attrs: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.chat };
      if (model) attrs[ATTR_GEN_AI_REQUEST_MODEL] = model;
      return { ...shape(model ? `chat ${model}` : 'chat', model, attrs), kind: SpanKind.CLIENT };
    }
    case 'handoff':
      return shape('handoff', d.to_agent, {});
    case 'guardrail':
      return shape(`guardrail ${d.name}`, d.name, { [SdkAttr.guardrailName]: d.name });
    case 'mcp_tools':
      return shape(`list_tools ${d.server ?? 'mcp'}`, d.server, {
        [SdkAttr.mcpServer]: d.server,
      });
    case 'custom':
      return shape(`${d.name}`, d.name, { [SdkAttr.customName]: d.name });
    default:
      return shape(`agents.${String(data.type)}`, undefined, {});
  }
}

function shape(name: string, subject: string | undefined, attributes: Attributes): StartShape {
  return { name, kind: SpanKind.INTERNAL, subject, attributes };
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
