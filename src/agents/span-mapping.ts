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
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION,
} from '../semconv.js';

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

/** Attributes known only when the SDK span ends: usage, response ids, handoff target, content. */
export function applyEnd(span: Span, data: AnyData, o: EndOptions): void {
  const d = data as Record<string, any>;
  switch (data.type) {
    case 'generation':
      setUsage(span, d.usage);
      if (typeof d.model === 'string') span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, d.model);
      if (o.captureContent) {
        setContent(span, ATTR_GEN_AI_INPUT_MESSAGES, d.input, o);
        setContent(span, ATTR_GEN_AI_OUTPUT_MESSAGES, d.output, o);
      }
      return;
    case 'response': {
      const r = d._response as Record<string, any> | undefined;
      if (typeof d.response_id === 'string')
        span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, d.response_id);
      if (r && typeof r.model === 'string') {
        span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, r.model);
        span.updateName(`chat ${r.model}`);
      }
      setUsage(span, r?.usage);
      if (o.captureContent) {
        setContent(span, ATTR_GEN_AI_INPUT_MESSAGES, d._input, o);
        setContent(span, ATTR_GEN_AI_OUTPUT_MESSAGES, r?.output, o);
      }
      return;
    }
    case 'function':
      if (o.captureContent) {
        setContent(span, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, d.input, o);
        setContent(span, ATTR_GEN_AI_TOOL_CALL_RESULT, d.output, o);
      }
      return;
    case 'handoff':
      if (d.from_agent) span.setAttribute(SdkAttr.handoffFrom, d.from_agent);
      if (d.to_agent) {
        span.setAttribute(SdkAttr.handoffTo, d.to_agent);
        span.updateName(`handoff ${d.to_agent}`);
      }
      return;
    case 'guardrail':
      span.setAttribute(SdkAttr.guardrailTriggered, d.triggered === true);
      return;
    case 'task':
    case 'turn':
      setUsage(span, d.usage);
      return;
  }
}

function setUsage(span: Span, usage: unknown): void {
  if (!usage || typeof usage !== 'object') return;
  const u = usage as Record<string, unknown>;
  const input = u.input_tokens ?? u.inputTokens;
  const output = u.output_tokens ?? u.outputTokens;
  if (typeof input === 'number') span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, input);
  if (typeof output === 'number') span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, output);
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
