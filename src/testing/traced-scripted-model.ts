import { withGenerationSpan, type Model, type ModelRequest } from '@openai/agents-core';
import { ScriptedModel, type ScriptedModelInput } from '@openai/agents-core/testing';

export interface TracedScriptedModelOptions {
  /** Model name reported on the generation span. Default: `'scripted-model'`. */
  model?: string;
  /** Token usage reported per response. Default: 0 in, 0 out. */
  usage?: { input_tokens: number; output_tokens: number };
  /** Simulated model latency per response, in ms. Default: 0. */
  latencyMs?: number;
}

/**
 * The SDK's `ScriptedModel` answers from a script but opens no generation span, which the
 * OpenAI models do. This wraps it the same way (`withGenerationSpan` with model and usage),
 * so offline runs produce the same trace shape as real ones: `chat {model}` spans included.
 */
export class TracedScriptedModel implements Model {
  readonly scripted: ScriptedModel;
  readonly #model: string;
  readonly #usage: { input_tokens: number; output_tokens: number };
  readonly #latencyMs: number;

  constructor(steps: Iterable<ScriptedModelInput>, options: TracedScriptedModelOptions = {}) {
    this.scripted = new ScriptedModel(steps);
    this.#model = options.model ?? 'scripted-model';
    this.#usage = options.usage ?? { input_tokens: 0, output_tokens: 0 };
    this.#latencyMs = options.latencyMs ?? 0;
  }

  getResponse(request: ModelRequest) {
    return withGenerationSpan(
      async (span) => {
        if (this.#latencyMs > 0) await new Promise((r) => setTimeout(r, this.#latencyMs));
        const response = await this.scripted.getResponse(request);
        span.spanData.usage = { ...this.#usage };
        span.spanData.output = response.output as Array<Record<string, any>>;
        return response;
      },
      { data: { model: this.#model, input: [] } },
    );
  }

  getStreamedResponse(request: ModelRequest) {
    return this.scripted.getStreamedResponse(request);
  }
}
