import type { TextMapGetter } from '@opentelemetry/api';

/**
 * Node's `IncomingHttpHeaders`: keys are already lower-case, so a direct read is enough (the
 * propagator asks for lower-case names). `boundedGetter` in `safeExtract` drops arrays' extra
 * values, non-strings and over-long values.
 */
export const nodeHeadersGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key] as string | undefined,
};

/** Web-standard `Headers` (Hono, fetch): case-insensitive lookups by the platform. */
export const webHeadersGetter: TextMapGetter<Headers> = {
  keys: (headers) => {
    const keys: string[] = [];
    headers.forEach((_value, key) => keys.push(key));
    return keys;
  },
  get: (headers, key) => headers.get(key) ?? undefined,
};
