import type { CallTracingPlugin, TracingTarget } from './plugin.js';

/** A plugin `use` accepts: anything with `attach(target)` returning an undo. */
export interface Plugin {
  attach(target: TracingTarget): () => void;
}

export type WithUse<T> = T & {
  /** Attaches `plugin` to this instance and returns the instance, for chaining. */
  use(plugin: Plugin | CallTracingPlugin): WithUse<T>;
  /** Detaches every plugin attached through `use`. */
  unuse(): void;
};

/**
 * The Agents SDK has no `.use()`. This gives one instance (agent, runner or session) a `use`
 * method as an own property — no prototype is touched — so `agent.use(callTracing())` works:
 *
 *   const agent = withUse(new Agent({ ... })).use(callTracing());
 */
export function withUse<T extends object>(target: T): WithUse<T> {
  if (!target || (typeof target !== 'object' && typeof target !== 'function'))
    throw new TypeError('withUse: the target must be an agent, runner or RealtimeSession');
  const undos: Array<() => void> = [];
  const self = target as WithUse<T>;
  Object.defineProperty(self, 'use', {
    configurable: true,
    value(plugin: Plugin) {
      undos.push(plugin.attach(target));
      return self;
    },
  });
  Object.defineProperty(self, 'unuse', {
    configurable: true,
    value() {
      undos.splice(0).forEach((undo) => undo());
    },
  });
  return self;
}
