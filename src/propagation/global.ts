import {
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { LEVEL2, TRACEPARENT, TRACESTATE } from './level2.js';

/**
 * How calltrace uses the global propagator. The user's choice decides *what* is propagated;
 * whenever it carries W3C trace context (its fields include `traceparent`: @opentelemetry/
 * core's W3CTraceContextPropagator, ours, or a composite holding one), calltrace reads and
 * writes `traceparent`/`tracestate` itself by the Level 2 rules, and leaves every other field
 * (baggage, B3, …) to the global propagator.
 */
export interface Plan {
  /** calltrace handles `traceparent`/`tracestate`. */
  level2: boolean;
  /** The global propagator, for the fields calltrace does not handle; undefined when none. */
  others: TextMapPropagator | undefined;
}

const plans = new WeakMap<object, Plan>();
const api = propagation as unknown as { _getGlobalPropagator?: () => TextMapPropagator };

/** The plan for the current global propagator, computed once per propagator. */
export function currentPlan(): Plan {
  const global = api._getGlobalPropagator?.();
  if (!global || typeof global !== 'object') return planFor(propagation); // an API without it
  let plan = plans.get(global);
  if (!plan) {
    plan = planFor(global);
    plans.set(global, plan);
  }
  return plan;
}

function planFor(propagator: TextMapPropagator): Plan {
  let fields: string[] = [];
  try {
    const f: unknown = propagator.fields();
    if (Array.isArray(f)) fields = f.map((x) => String(x).toLowerCase());
  } catch {
    // a propagator that cannot list its fields is used as it is
  }
  const level2 = fields.includes(TRACEPARENT);
  const onlyW3C = fields.every((f) => f === TRACEPARENT || f === TRACESTATE);
  return { level2, others: level2 && onlyW3C ? undefined : propagator };
}

/** Extracts by `plan`; `bounded` (the getter, bounded) is what the other propagator reads. */
export function extractBy(
  plan: Plan,
  base: Context,
  carrier: unknown,
  getter: TextMapGetter,
  bounded: TextMapGetter | undefined,
): Context {
  let ctx = base;
  if (plan.others && bounded)
    ctx = plan.others.extract(ctx, carrier, plan.level2 ? hideW3C(bounded) : bounded);
  return plan.level2 ? LEVEL2.extract(ctx, carrier, getter) : ctx;
}

/** Injects by `plan`. */
export function injectBy(plan: Plan, ctx: Context, carrier: unknown, setter: TextMapSetter): void {
  if (plan.others) plan.others.inject(ctx, carrier, plan.level2 ? skipW3C(setter) : setter);
  if (plan.level2) LEVEL2.inject(ctx, carrier, setter);
}

const isW3C = (key: string) => key === TRACEPARENT || key === TRACESTATE;
const hidden = new WeakMap<TextMapGetter, TextMapGetter>();
const skipping = new WeakMap<TextMapSetter, TextMapSetter>();

/** The getter without `traceparent`/`tracestate`, so only calltrace's Level 2 code reads them. */
function hideW3C(getter: TextMapGetter): TextMapGetter {
  let g = hidden.get(getter);
  if (!g) {
    g = {
      keys: (carrier) => getter.keys(carrier).filter((k) => !isW3C(k.toLowerCase())),
      get: (carrier, key) => (isW3C(key.toLowerCase()) ? undefined : getter.get(carrier, key)),
    };
    hidden.set(getter, g);
  }
  return g;
}

/** The setter ignoring `traceparent`/`tracestate`: the other propagator's W3C part is ours. */
function skipW3C(setter: TextMapSetter): TextMapSetter {
  let s = skipping.get(setter);
  if (!s) {
    s = {
      set: (carrier, key, value) => {
        if (!isW3C(key.toLowerCase())) setter.set(carrier, key, value);
      },
    };
    skipping.set(setter, s);
  }
  return s;
}
