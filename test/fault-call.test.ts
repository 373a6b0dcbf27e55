import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { trace, type TracerProvider } from '@opentelemetry/api';
import { setupOtel } from './helpers/otel.js';
import { CallAttr, startCall } from '../src/index.js';
import { openTwilioCall } from '../src/webhooks/twilio-call.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

/** An object whose every property read throws. */
const hostile = new Proxy(
  {},
  {
    get() {
      throw new Error('hostile getter');
    },
  },
);

describe('startCall / end never break the host (issue 14)', () => {
  it('end(null) ends the root span, as completed', () => {
    const call = startCall({ callId: 'c-null' });
    expect(() => call.end(null)).not.toThrow();
    const root = otel.one('call');
    expect(root.attributes[CallAttr.status]).toBe('completed');
    expect(call.ended).toBe(true);
  });

  it('end({ error }) keeps the message out of the status unless captureContent is on', () => {
    startCall({ callId: 'quiet' }).end({ error: new Error('caller said +15550100100') });
    startCall({ callId: 'loud', captureContent: true }).end({ error: new Error('boom') });
    const [quiet, loud] = otel.byName('call');
    expect(quiet!.status).toEqual({ code: 2 });
    expect(JSON.stringify(quiet!.attributes)).not.toContain('5550100100');
    expect(loud!.status).toEqual({ code: 2, message: 'boom' });
  });

  it('an outbound call masks the customer (the callee) like a caller', () => {
    startCall({ direction: 'outbound', from: '+15550109999', to: '+15550100100' }).end();
    const root = otel.one('call');
    expect(root.attributes[CallAttr.calleeNumberMasked]).toBe('+*******0100');
    expect(root.attributes[CallAttr.calleeNumber]).toBeUndefined();
    expect(JSON.stringify(root.attributes)).not.toContain('5550100100');
  });

  it('Twilio Direction=outbound-api never exports the customer number in clear', () => {
    const { call, endInvite } = openTwilioCall({
      CallSid: 'CAout',
      From: '+15550109999',
      To: '+15550100100',
      Direction: 'outbound-api',
    });
    endInvite(200);
    call.end();
    for (const span of otel.spans())
      expect(JSON.stringify(span.attributes)).not.toContain('5550100100');
    expect(otel.one('sip.invite').attributes[CallAttr.calleeNumberMasked]).toBe('+*******0100');
  });

  const garbage: unknown[] = [
    null,
    0,
    42,
    'x',
    true,
    [],
    hostile,
    () => 1,
    Symbol('s'),
    { callId: 5, links: 'x', parent: 3, attributes: 7, tracerProvider: 1, spanName: {} },
  ];
  for (const value of garbage) {
    it(`startCall(${typeof value === 'symbol' ? 'symbol' : Array.isArray(value) ? 'array' : value === hostile ? 'throwing proxy' : (JSON.stringify(value) ?? typeof value)}) gives a working call`, () => {
      const call = startCall(value as never);
      expect(call.callId).toEqual(expect.any(String));
      expect(() => call.run(() => 1)).not.toThrow();
      expect(() => call.end(value as never)).not.toThrow();
      expect(call.ended).toBe(true);
    });
  }

  it('a provider whose getTracer throws gives a non-recording call, no throw', () => {
    const provider = {
      getTracer() {
        throw new Error('no tracer for you');
      },
    } as unknown as TracerProvider;
    const call = startCall({ tracerProvider: provider, callId: 'p' });
    expect(call.span.isRecording()).toBe(false);
    expect(call.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(call.traceId).not.toBe('0'.repeat(32));
    expect(() => call.end()).not.toThrow();
  });

  it('a throwing global tracer provider does not reach the host', () => {
    const bad = {
      getTracer: () => ({
        startSpan: () => {
          throw new Error('startSpan');
        },
      }),
    };
    const call = startCall({ tracerProvider: bad as never });
    expect(call.span.isRecording()).toBe(false);
    call.end();
    expect(trace.getTracerProvider()).toBeDefined();
  });
});
