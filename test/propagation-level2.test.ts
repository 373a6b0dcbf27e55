import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  context,
  createTraceState,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type TextMapPropagator,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  suppressTracing,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  injectHeaders,
  parseTraceparent,
  parseTraceState,
  recordGetter,
  safeExtract,
  W3CTraceContextLevel2Propagator,
} from '../src/propagation/index.js';
import { W3CTraceContextLevel2Propagator as FromPackageRoot } from '../src/index.js';
import { parseCallSnapshot, spanContextOf } from '../src/edge/call-snapshot.js';

/**
 * W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/) vectors, most taken from
 * the W3C test suite (w3c/trace-context test/test.py), through calltrace's own extract and
 * inject (safeExtract / injectHeaders) and through the exported propagator.
 */
const TRACE = '12345678901234567890123456789012';
const SPAN = '1234567890123456';
const tp = (flags = '01', version = '00') => `${version}-${TRACE}-${SPAN}-${flags}`;
const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler() });
const parentBased = new BasicTracerProvider(); // the default sampler: parent-based
const tracer = provider.getTracer('level2-test');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const remoteOf = (headers: Record<string, unknown>) => safeExtract(headers, recordGetter).remote;
const stateOf = (headers: Record<string, unknown>) => remoteOf(headers)?.traceState?.serialize();
/** Headers a hop sends on: a child span of the extracted context, injected by calltrace. */
function nextHop(headers: Record<string, unknown>): Record<string, string> {
  const { context: parent } = safeExtract(headers, recordGetter);
  const span = tracer.startSpan('hop', {}, parent);
  const out = injectHeaders({}, trace.setSpan(parent, span));
  span.end();
  return out;
}

/** Registers `p` as the global propagator (the API refuses a second registration). */
function useGlobal(p: TextMapPropagator): void {
  propagation.disable();
  propagation.setGlobalPropagator(p);
}
beforeEach(() => {
  // What most setups register: @opentelemetry/core's Level 1 propagator. calltrace's own
  // extract/inject still follow Level 2.
  useGlobal(new W3CTraceContextPropagator());
});
afterEach(() => propagation.disable());
afterAll(async () => {
  await provider.shutdown();
  await parentBased.shutdown();
  context.disable();
});

describe('traceparent', () => {
  it.each([
    ['version 00', tp()],
    ['a future version (0xcc)', tp('01', 'cc')],
    ['a future version with more fields', `${tp('01', 'cc')}-what-the-future-will-be-like`],
    ['leading and trailing spaces and tabs', `\t ${tp()} \t`],
    ['not sampled', tp('00')],
    ['random flag only', tp('02')],
  ])('is adopted: %s', (_name, value) => {
    const remote = remoteOf({ traceparent: value });
    expect(remote?.traceId).toBe(TRACE);
    expect(remote?.spanId).toBe(SPAN);
    expect(remote?.isRemote).toBe(true);
  });

  it.each([
    ['version ff', tp('01', 'ff')],
    ['version 00 with trailing characters', `${tp()}.`],
    ['version 00 with more fields', `${tp()}-what-the-future-will-be-like`],
    ['a future version with a non-dash after the flags', `${tp('01', 'cc')}.what`],
    ['illegal characters in the version', `.0-${TRACE}-${SPAN}-01`],
    ['a 3-digit version', `000-${TRACE}-${SPAN}-01`],
    ['a 1-digit version', `0-${TRACE}-${SPAN}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-4BF92F3577B34DA6A3CE929D0E0E4736-${SPAN}-01`],
    ['a trace id too long', `00-${TRACE}0-${SPAN}-01`],
    ['a trace id too short', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['a parent id too long', `00-${TRACE}-${SPAN}0-01`],
    ['a parent id too short', `00-${TRACE}-${SPAN.slice(1)}-01`],
    ['illegal characters in the flags', `00-${TRACE}-${SPAN}-.0`],
    ['flags too long', `00-${TRACE}-${SPAN}-001`],
    ['flags too short', `00-${TRACE}-${SPAN}-1`],
    ['two traceparent values (a duplicated header)', [tp(), tp()]],
    ['a non-string', 42],
  ])('is ignored (a fresh trace): %s', (_name, value) => {
    expect(remoteOf({ traceparent: value })).toBeUndefined();
  });

  it('keeps only the sampled and random bits of the flags', () => {
    expect(parseTraceparent(tp('ff'))?.traceFlags).toBe(0x03);
    expect(parseTraceparent(tp('09'))?.traceFlags).toBe(0x01);
  });
});

describe('the random-trace-id flag (0x02)', () => {
  it('is set on the next hop of a trace that arrived with it, though the SDK drops it on spans', () => {
    const out = nextHop({ traceparent: tp('03') });
    expect(out.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-03$`));
    expect(out.traceparent?.split('-')[2]).not.toBe(SPAN);
  });

  it('is set on an unsampled next hop too (02 stays 02)', () => {
    const { context: parent } = safeExtract({ traceparent: tp('02') }, recordGetter);
    // The default sampler follows the unsampled parent: a non-recording span.
    const span = parentBased.getTracer('level2-test').startSpan('hop', {}, parent);
    expect(span.isRecording()).toBe(false);
    expect(injectHeaders({}, trace.setSpan(parent, span)).traceparent?.endsWith('-02')).toBe(true);
  });

  it('is not set when the incoming trace did not have it', () => {
    expect(nextHop({ traceparent: tp('01') }).traceparent?.endsWith('-01')).toBe(true);
  });

  it('is not set on a new trace started under that context (another trace id)', () => {
    const { context: parent } = safeExtract({ traceparent: tp('03') }, recordGetter);
    const root = tracer.startSpan('new root', { root: true }, parent);
    const out = injectHeaders({}, trace.setSpan(parent, root));
    root.end();
    expect(out.traceparent).not.toContain(TRACE);
    expect(out.traceparent?.endsWith('-01')).toBe(true);
  });

  it('survives the active context: a span started inside context.with of the extracted context', () => {
    const { context: parent } = safeExtract({ traceparent: tp('03') }, recordGetter);
    const out = context.with(parent, () => {
      const span = tracer.startSpan('inner');
      const headers = context.with(trace.setSpan(context.active(), span), () => injectHeaders());
      span.end();
      return headers;
    });
    expect(out.traceparent?.endsWith('-03')).toBe(true);
  });

  it('core W3CTraceContextPropagator alone loses it on the next hop (why calltrace keeps it)', () => {
    const core = new W3CTraceContextPropagator();
    const parent = core.extract(ROOT_CONTEXT, { traceparent: tp('03') }, recordGetter);
    const span = tracer.startSpan('hop', {}, parent);
    const out: Record<string, string> = {};
    core.inject(trace.setSpan(parent, span), out, {
      set: (c, k, v) => ((c as Record<string, string>)[k] = v),
    });
    span.end();
    expect(out.traceparent?.endsWith('-01')).toBe(true);
  });
});

describe('tracestate', () => {
  const withState = (...tracestate: string[]) => ({
    traceparent: tp('00'),
    tracestate: tracestate.length === 1 ? tracestate[0] : tracestate,
  });

  it.each([
    ['two members', 'foo=1,bar=2', 'foo=1,bar=2'],
    ['optional whitespace around members', 'foo=1 \t , \t bar=2, \t baz=3', 'foo=1,bar=2,baz=3'],
    ['empty members', 'foo=1,,  , bar=2', 'foo=1,bar=2'],
    ['a key starting with a digit', '1foo=1', '1foo=1'],
    ['an at sign anywhere after the first character', 'foo@=1,foo@@bar=2,foo@bar@baz=3', null],
    ['a 256-character key', `${'z'.repeat(256)}=1`, null],
    ['a 241@14 multi-tenant key', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`, null],
    ['a 242@1 multi-tenant key (Level 1 rejects it)', `${'t'.repeat(242)}@v=1`, null],
    ['a 1@15 multi-tenant key (Level 1 rejects it)', `t@${'v'.repeat(15)}=1`, null],
    ['a value with leading spaces', 'foo=  1', 'foo=  1'],
    ['a duplicated key (the first is kept)', 'foo=1,foo=2', 'foo=1'],
  ])('is kept: %s', (_name, header, expected) => {
    expect(stateOf(withState(header))).toBe(expected ?? header);
  });

  it('joins several tracestate fields in order (RFC 9110)', () => {
    expect(stateOf(withState('foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'))).toBe(
      'foo=1,bar=2,rojo=1,congo=2,baz=3',
    );
    expect(stateOf(withState('', 'foo=1'))).toBe('foo=1');
  });

  it('keeps all the allowed characters of keys and values', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/@a-z0-9_-*/';
    let value = '';
    for (let c = 0x20; c <= 0x7e; c++)
      if (c !== 0x2c && c !== 0x3d) value += String.fromCharCode(c);
    expect(remoteOf(withState(`${key}=${value}`))?.traceState?.get(key)).toBe(value);
  });

  it.each([
    ['a key starting with @', '@foo=1,bar=2'],
    ['a space inside the key', 'foo =1,bar=2'],
    ['an upper-case key', 'FOO=1,bar=2'],
    ['a dot in the key', 'foo.bar=1,bar=2'],
    ['a 257-character key', `foo=1,${'z'.repeat(257)}=1`],
    ['an = in the value', 'foo=bar=baz'],
    ['an empty value', 'foo=,bar=3'],
    ['a 257-character value', `foo=${'v'.repeat(257)}`],
    ['a member without =', 'foo,bar=2'],
    ['a control character in the value', 'foo=a\u0001b,bar=2'],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=${i}`).join(',')],
  ])('is discarded whole, the trace kept: %s', (_name, header) => {
    const remote = remoteOf(withState(header));
    expect(remote?.traceId).toBe(TRACE);
    expect(remote?.traceState).toBeUndefined();
  });

  it('keeps exactly 32 members sent as several fields', () => {
    const members = Array.from({ length: 32 }, (_, i) => `bar${i}=${i}`);
    const state = remoteOf(
      withState(members.slice(0, 10).join(','), members.slice(10).join(',')),
    )?.traceState;
    expect(state?.serialize().split(',')).toHaveLength(32);
  });

  it('is ignored without a valid traceparent', () => {
    expect(remoteOf({ tracestate: 'foo=1' })).toBeUndefined();
    expect(remoteOf({ traceparent: tp('01', 'ff'), tracestate: 'foo=1' })).toBeUndefined();
  });

  it('a 671-character tracestate loses whole entries from the end, not the whole header', () => {
    // The finding: 7 members of 95 characters (671 with commas) used to read as missing.
    const members = Array.from({ length: 7 }, (_, i) => `v${i}=${String(i).repeat(92)}`);
    const header = members.join(',');
    expect(header).toHaveLength(671);
    const kept = stateOf(withState(header));
    expect(kept).toBe(members.slice(0, 5).join(','));
    expect(kept!.length).toBeLessThanOrEqual(512);
  });

  it('drops entries over 128 characters first, then from the end', () => {
    const long = `big=${'x'.repeat(200)}`; // 204 characters
    const small = Array.from({ length: 6 }, (_, i) => `s${i}=${String(i).repeat(60)}`); // 63 each
    const header = [small[0], long, ...small.slice(1)].join(',');
    expect(header.length).toBeGreaterThan(512);
    // Without `big` the six small ones fit (6 * 63 + 5 = 383): only `big` goes.
    expect(stateOf(withState(header))).toBe(small.join(','));
  });

  it('a header too long to be valid is not parsed at all', () => {
    expect(parseTraceState(`a=1,${' '.repeat(20_000)}`)).toBeUndefined();
  });

  it('is passed on to the next hop, and never sent empty', () => {
    expect(nextHop(withState('foo=1,bar=2')).tracestate).toBe('foo=1,bar=2');
    expect(nextHop(withState(' , ,')).tracestate).toBeUndefined();
    expect('tracestate' in nextHop(withState('FOO=1'))).toBe(false);
  });

  it('an empty or invalid TraceState set by user code is not sent; a long one is truncated', () => {
    const sc = { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED };
    const send = (traceState: ReturnType<typeof createTraceState>) =>
      injectHeaders({}, trace.setSpanContext(ROOT_CONTEXT, { ...sc, traceState }));
    expect(send(createTraceState('')).tracestate).toBeUndefined();
    expect(send(createTraceState('')).traceparent).toBe(tp());
    const long = Array.from({ length: 7 }, (_, i) => `v${i}=${String(i).repeat(92)}`).join(',');
    const viaCore = { serialize: () => long } as ReturnType<typeof createTraceState>;
    expect(send(viaCore).tracestate?.split(',')).toHaveLength(5);
  });

  it('set/unset follow the Level 2 rules: updated keys move left, at most 32 members', () => {
    const state = parseTraceState('foo=1,bar=2')!;
    expect(state.set('bar', '3').serialize()).toBe('bar=3,foo=1');
    expect(state.set('t@v@w', 'x').serialize()).toBe('t@v@w=x,foo=1,bar=2');
    expect(state.set('BAD', 'x')).toBe(state);
    expect(state.unset('foo').serialize()).toBe('bar=2');
    let full = parseTraceState(Array.from({ length: 32 }, (_, i) => `k${i}=${i}`).join(','))!;
    full = full.set('new', 'v') as typeof full;
    expect(full.serialize().split(',')).toHaveLength(32);
    expect(full.serialize().startsWith('new=v,k0=0')).toBe(true);
    expect(full.get('k31')).toBeUndefined();
  });
});

describe('the global propagator decides what is propagated', () => {
  const sampled = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE,
    spanId: SPAN,
    traceFlags: TraceFlags.SAMPLED,
  });

  it('with none registered, calltrace sends and reads nothing', () => {
    propagation.disable();
    expect(injectHeaders({}, sampled)).toEqual({});
    expect(remoteOf({ traceparent: tp() })).toBeUndefined();
  });

  it('a composite with baggage: baggage by its propagator, trace context by Level 2', () => {
    useGlobal(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    );
    const withBaggage = propagation.setBaggage(
      sampled,
      propagation.createBaggage({ tenant: { value: 'acme' } }),
    );
    const { context: parent } = safeExtract(
      { traceparent: tp('03'), tracestate: 'foo@@bar=1', baggage: 'tenant=acme' },
      recordGetter,
    );
    expect(trace.getSpanContext(parent)?.traceState?.get('foo@@bar')).toBe('1');
    expect(propagation.getBaggage(parent)?.getEntry('tenant')?.value).toBe('acme');
    const out = injectHeaders({}, withBaggage);
    expect(out).toEqual({ traceparent: tp('01'), baggage: 'tenant=acme' });
    const hop = injectHeaders({}, trace.setSpanContext(parent, trace.getSpanContext(parent)!));
    expect(hop.traceparent).toBe(tp('03'));
  });

  it('a propagator without W3C fields (B3-like) is used as it is', () => {
    const b3Like: TextMapPropagator = {
      inject: (ctx, carrier, setter) => {
        const sc = trace.getSpanContext(ctx);
        if (sc) setter.set(carrier, 'x-b3-traceid', sc.traceId);
      },
      extract: (ctx: Context) => ctx,
      fields: () => ['x-b3-traceid'],
    };
    useGlobal(b3Like);
    expect(injectHeaders({}, sampled)).toEqual({ 'x-b3-traceid': TRACE });
    expect(remoteOf({ traceparent: tp() })).toBeUndefined();
  });
});

describe('W3CTraceContextLevel2Propagator (drop-in, exported from calltrace)', () => {
  const propagator = new W3CTraceContextLevel2Propagator();
  const setter = { set: (c: Record<string, string>, k: string, v: string) => void (c[k] = v) };

  it('is exported from the package root and lists the W3C fields', () => {
    expect(FromPackageRoot).toBe(W3CTraceContextLevel2Propagator);
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate']);
  });

  it('round-trips a context with the random flag and a Level 2 tracestate', () => {
    const ctx = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: tp('03'), tracestate: 't@v@w=1,congo=2' },
      recordGetter,
    );
    const out: Record<string, string> = {};
    propagator.inject(ctx, out, setter);
    expect(out).toEqual({ traceparent: tp('03'), tracestate: 't@v@w=1,congo=2' });
  });

  it('as the global propagator, a child span of the extracted context keeps the random flag', () => {
    useGlobal(propagator);
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent: tp('02') });
    const span = tracer.startSpan('child', {}, parent);
    const out: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), out);
    span.end();
    expect(out.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-03$`));
  });

  it('injects nothing for an invalid span context or when tracing is suppressed', () => {
    const out: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, out, setter);
    propagator.inject(
      suppressTracing(
        trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: 1 }),
      ),
      out,
      setter,
    );
    expect(out).toEqual({});
  });

  it('never throws: a throwing getter or setter leaves the context and carrier alone', () => {
    const throwing = {
      keys: () => {
        throw new Error('keys');
      },
      get: () => {
        throw new Error('get');
      },
    };
    expect(propagator.extract(ROOT_CONTEXT, {}, throwing)).toBe(ROOT_CONTEXT);
    const ctx = propagator.extract(ROOT_CONTEXT, { traceparent: tp() }, recordGetter);
    expect(() =>
      propagator.inject(
        ctx,
        {},
        {
          set: () => {
            throw new Error('set');
          },
        },
      ),
    ).not.toThrow();
  });
});

describe('edge snapshots (src/edge reads them through src/propagation)', () => {
  it('a stored traceparent keeps its random flag and a Level 2 tracestate', () => {
    const sc = spanContextOf(tp('03'), 't@v@w=1,congo=2');
    expect(sc).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: 3, isRemote: true });
    expect(sc?.traceState?.serialize()).toBe('t@v@w=1,congo=2');
  });

  it('an invalid stored tracestate is dropped whole, the trace kept; a bad traceparent is refused', () => {
    expect(spanContextOf(tp(), 'FOO=1,bar=2')?.traceState).toBeUndefined();
    expect(spanContextOf(tp(), 'FOO=1,bar=2')?.traceId).toBe(TRACE);
    expect(spanContextOf(`00-${'0'.repeat(32)}-${SPAN}-01`)).toBeUndefined();
    expect(parseCallSnapshot({ v: 1, callId: 'c', traceparent: tp('01', 'ff') })).toBeUndefined();
  });
});
