/**
 * Every exported function of every public entry, called with garbage: null, NaN, a negative
 * number, a string with a NUL, true, a symbol, a cyclic object, a Proxy whose every trap
 * throws, a throwing function, undefined. The contract decides what is allowed:
 * - default: never throws, never rejects — values that come from outside (headers, bodies,
 *   messages, metadata, stored snapshots) and options objects (garbage options = defaults);
 * - CLEAR_ERROR: the argument must be one of calltrace's own objects (a call, an index, a
 *   socket, an agent) or a number the API computes with: anything else is the host's
 *   programming error, thrown at once as an Error whose message names the API or the problem;
 * - PASS_THROUGH: wrappers of the host's own call (fetch) reject exactly when it does;
 * - SKIPPED: opens a database (covered by the store's own tests).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setupOtel } from './helpers/otel.js';
// @ts-expect-error plain .mjs helper shared with the build
import { discoverEntries } from '../scripts/entries.mjs';

const otel = setupOtel();
afterAll(() => otel.shutdown());

const CLEAR_ERROR = new Set([
  'snapshotCall',
  'realtimeSessionTracing',
  'realtimeTracingConfig',
  'withClientSecretTracing',
  'withSipAcceptTracing',
  'withUse',
  'formatTraceTree',
  'traceIdRatio',
  'createLookupPage',
  'callLookupRoute',
  'callLookupRouter',
  'toE164',
  'onTracedMessage',
]);
const PASS_THROUGH = new Set(['tracedFetch', 'fetchWithContext']);
const SKIPPED = new Set(['createCallIndex']);

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;
const trap = () => {
  throw new Error('trap');
};
const hostile = new Proxy(
  {},
  { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap },
);
const GARBAGE: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', NaN],
  ['-1', -1],
  ['NUL string', '\u0000garbage'],
  ['true', true],
  ['symbol', Symbol('s')],
  ['cyclic object', cyclic],
  ['throwing proxy', hostile],
  ['throwing function', trap],
];

/** What the host sees: a value, a throw, a rejection (or a hang). */
async function outcome(
  fn: () => unknown,
): Promise<{ kind: 'ok' | 'throw' | 'reject' | 'hang'; error?: unknown }> {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return { kind: 'throw', error };
  }
  let then: unknown;
  try {
    then = (result as { then?: unknown } | null)?.then;
  } catch {
    return { kind: 'ok' }; // a hostile object handed back unchanged is not a promise
  }
  if (typeof then !== 'function') return { kind: 'ok' };
  return Promise.race([
    (result as Promise<unknown>).then(
      () => ({ kind: 'ok' as const }),
      (error: unknown) => ({ kind: 'reject' as const, error }),
    ),
    new Promise<{ kind: 'hang' }>((r) => setTimeout(() => r({ kind: 'hang' }), 2000)),
  ]);
}

/** An engine error from reaching into garbage, as opposed to a message written for the host. */
const ACCIDENTAL =
  /Cannot (read|destructure|convert)|is not a function|is not iterable|called on non-object|^trap$/;

const apis: Array<{ entry: string; name: string; fn: (...a: unknown[]) => unknown }> = [];
for (const [entry, path] of Object.entries(discoverEntries('.') as Record<string, string>)) {
  const mod = (await import(`../${path}`)) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    if (/^class\b/.test(Function.prototype.toString.call(fn))) continue; // constructed at setup
    if (apis.some((a) => a.fn === fn)) continue; // re-exported by several entries
    apis.push({ entry, name, fn: fn as (...a: unknown[]) => unknown });
  }
}

describe(`${apis.length} public functions × ${GARBAGE.length} garbage values`, () => {
  it('covers every entry point', () => {
    expect(apis.length).toBeGreaterThan(50);
  });

  it.each(apis.filter((a) => !SKIPPED.has(a.name)))('$entry: $name', async ({ name, fn }) => {
    for (const [label, value] of GARBAGE) {
      const got = await outcome(() => fn(value));
      const where = `${name}(${label})`;
      if (PASS_THROUGH.has(name)) {
        const bare = await outcome(() => fetch(value as never));
        expect(got.kind, where).toBe(bare.kind);
      } else if (CLEAR_ERROR.has(name) && got.kind === 'throw') {
        expect(got.error, where).toBeInstanceOf(Error);
        expect((got.error as Error).message, where).not.toMatch(ACCIDENTAL);
      } else {
        expect(got, where).toEqual({ kind: 'ok' });
      }
    }
  });
});
