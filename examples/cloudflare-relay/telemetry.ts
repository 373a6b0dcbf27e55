/**
 * OpenTelemetry for a Worker isolate: the runtime-agnostic BasicTracerProvider, every ended
 * span POSTed at once as OTLP/JSON (a Durable Object can be evicted without notice, so spans
 * are not held in memory), W3C propagation, and a context manager on AsyncLocalStorage
 * (`nodejs_compat`). Set up once per isolate.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  propagation,
  trace,
  ROOT_CONTEXT,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OtlpFetchExporter } from 'calltrace/edge';

/**
 * `@opentelemetry/context-async-hooks` is CommonJS that also loads `async_hooks.createHook`
 * (absent in workerd); this is its AsyncLocalStorage manager in the few lines it takes.
 */
class AlsContextManager implements ContextManager {
  readonly #als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const als = this.#als;
    return function (this: unknown, ...args: unknown[]) {
      return als.run(ctx, () => (target as (...a: unknown[]) => unknown).apply(this, args));
    } as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#als.disable();
    return this;
  }
}

let provider: BasicTracerProvider | undefined;

/** The isolate's tracer provider, created on first use from the Worker's env. */
export function telemetry(env: { OTLP_URL?: string; OTLP_HEADERS?: string }): BasicTracerProvider {
  if (provider) return provider;
  const exporter = new OtlpFetchExporter({
    url: env.OTLP_URL,
    headers: env.OTLP_HEADERS ? JSON.parse(env.OTLP_HEADERS) : undefined,
  });
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AlsContextManager());
  return provider;
}
