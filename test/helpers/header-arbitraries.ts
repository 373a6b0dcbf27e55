/**
 * fast-check arbitraries for hostile propagation carriers, shared by every extractor's
 * property test (HTTP headers here; NATS headers, job metadata and socket envelopes reuse
 * them). Values range from a valid `traceparent` through near-misses to garbage.
 */
import fc from 'fast-check';

const HEX = '0123456789abcdef'.split('');
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
const anyHex = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...HEX, 'A', 'F', 'g', ' '), minLength: min, maxLength: max });

/** A W3C-valid traceparent (non-zero ids, version 00) — must always be adopted. */
export const validTraceparent = fc
  .tuple(hex(32), hex(16), fc.constantFrom('00', '01'))
  .filter(([t, s]) => !/^0+$/.test(t) && !/^0+$/.test(s))
  .map(([t, s, flags]) => `00-${t}-${s}-${flags}`);

/** Near misses: zero ids, bad version, wrong lengths, upper case, padding, extra fields. */
const nearMissTraceparent = fc.oneof(
  fc.tuple(hex(16), fc.constantFrom('01')).map(([s, f]) => `00-${'0'.repeat(32)}-${s}-${f}`),
  hex(32).map((t) => `00-${t}-${'0'.repeat(16)}-01`),
  fc.tuple(hex(32), hex(16)).map(([t, s]) => `ff-${t}-${s}-01`),
  fc.tuple(hex(32), hex(16)).map(([t, s]) => `00-${t.toUpperCase()}-${s}-01`),
  fc.tuple(anyHex(0, 40), anyHex(0, 20), anyHex(0, 3)).map(([t, s, f]) => `00-${t}-${s}-${f}`),
  fc.tuple(validTraceparent, fc.string({ maxLength: 20 })).map(([v, x]) => `${v}-${x}`),
  fc.tuple(validTraceparent, fc.string({ maxLength: 5 })).map(([v, x]) => `${x}${v}${x}`),
  validTraceparent.map((v) => v.slice(0, -1)),
  validTraceparent.map((v) => v.replace(/-/g, '_')),
);

/** Oversized values: far beyond the W3C caps (traceparent 55, tracestate 512). */
const oversized = fc
  .tuple(validTraceparent, fc.integer({ min: 513, max: 20_000 }))
  .map(([v, n]) => v + ','.repeat(1) + 'x'.repeat(n));

export const traceparentString = fc.oneof(
  { arbitrary: validTraceparent, weight: 2 },
  { arbitrary: nearMissTraceparent, weight: 4 },
  { arbitrary: oversized, weight: 1 },
  { arbitrary: fc.string({ maxLength: 80, unit: 'binary' }), weight: 2 },
);

const tracestateMember = fc
  .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 24 }))
  .map(([k, v]) => `${k}=${v}`);
export const tracestateString = fc.oneof(
  fc.array(tracestateMember, { maxLength: 40 }).map((m) => m.join(',')),
  fc.integer({ min: 0, max: 20_000 }).map((n) => 'k=v,'.repeat(n)),
  fc.string({ maxLength: 100, unit: 'binary' }),
);

/** Anything a loosely typed carrier can hold: arrays, numbers, objects, null. */
export const hostileValue = (str: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: str, weight: 6 },
    { arbitrary: fc.array(str, { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.object({ maxDepth: 1 }), weight: 1 },
  );

const headerName = fc.oneof(
  fc.constantFrom('traceparent', 'tracestate', 'TraceParent', 'TRACESTATE', 'baggage'),
  fc.string({ minLength: 1, maxLength: 20 }),
);

/** A loosely typed header record (a carrier as JS code might pass it), up to 300 keys. */
export const hostileHeaderRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.option(hostileValue(traceparentString), { nil: undefined }),
    fc.option(hostileValue(tracestateString), { nil: undefined }),
    fc.dictionary(headerName, hostileValue(fc.string({ maxLength: 40 })), { maxKeys: 300 }),
  )
  .map(([traceparent, tracestate, rest]) => {
    const record: Record<string, unknown> = { ...rest };
    if (traceparent !== undefined) record.traceparent = traceparent;
    if (tracestate !== undefined) record.tracestate = tracestate;
    return record;
  });

/** Printable ASCII, as an HTTP client will send it (no CR/LF, trimmed by the server). */
const wireSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '').trim();

/**
 * Headers that can travel over a real HTTP connection: `[name, value]` pairs (duplicates
 * allowed, so a repeated `traceparent` arrives joined), values printable, total under Node's
 * 16 KiB header limit.
 */
export const wireHeaders: fc.Arbitrary<Array<[string, string]>> = fc
  .tuple(
    fc.array(traceparentString, { maxLength: 2 }),
    fc.array(tracestateString, { maxLength: 2 }),
    fc.array(
      fc.tuple(
        fc.string({
          unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-'.split('')),
          minLength: 1,
          maxLength: 16,
        }),
        fc.string({ maxLength: 40 }),
      ),
      { maxLength: 30 },
    ),
  )
  .map(([tps, tss, rest]) => {
    const pairs: Array<[string, string]> = [
      ...tps.map((v): [string, string] => ['traceparent', wireSafe(v).slice(0, 2000)]),
      ...tss.map((v): [string, string] => ['tracestate', wireSafe(v).slice(0, 2000)]),
      ...rest.map(([k, v]): [string, string] => [`x-${k}`, wireSafe(v)]),
    ];
    return pairs.filter(([, v]) => v.length > 0);
  });

/** The hex ids a carrier's traceparent text contains; an adopted id must be one of them. */
export function idsIn(value: unknown): string {
  if (Array.isArray(value)) return value.map(idsIn).join(' ');
  return typeof value === 'string' ? value : '';
}
