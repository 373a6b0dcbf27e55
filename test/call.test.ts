import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { idOf, parentOf, setupOtel } from './helpers/otel.js';
import {
  CallAttr,
  activeCall,
  maskPhoneNumber,
  normalizePhoneNumber,
  startCall,
} from '../src/index.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

describe('startCall', () => {
  it('opens a root span named "call" with the call’s attributes and the caller masked', () => {
    const call = startCall({
      callId: 'c-100',
      from: '+1 (555) 010-0100',
      to: '+1 555 010 9999',
      direction: 'inbound',
      provider: 'twilio',
      providerCallId: 'CA123',
    });
    call.end();
    const root = otel.one('call');
    expect(parentOf(root)).toBeUndefined();
    expect(root.attributes).toMatchObject({
      [CallAttr.callId]: 'c-100',
      'gen_ai.conversation.id': 'c-100',
      [CallAttr.direction]: 'inbound',
      [CallAttr.provider]: 'twilio',
      [CallAttr.providerCallId]: 'CA123',
      [CallAttr.calleeNumber]: '+15550109999',
      [CallAttr.callerNumberMasked]: '+*******0100',
      [CallAttr.status]: 'completed',
    });
    expect(JSON.stringify(root.attributes)).not.toContain('5550100100');
  });

  it('writes the caller in clear only on opt-in, under a .pii. key; hashes with the user’s function', () => {
    startCall({
      from: '+15550100100',
      captureCallerNumber: true,
      hashCallerNumber: (n) => `h:${n.length}`,
    }).end();
    const root = otel.one('call');
    expect(root.attributes['calltrace.pii.caller_number']).toBe('+15550100100');
    expect(root.attributes[CallAttr.callerNumberHash]).toBe('h:12');
  });

  it('a throwing hash function is ignored', () => {
    const call = startCall({
      from: '+15550100100',
      hashCallerNumber: () => {
        throw new Error('no key');
      },
    });
    call.end();
    expect(otel.one('call').attributes[CallAttr.callerNumberHash]).toBeUndefined();
  });

  it('exposes trace id, traceparent and OpenAI correlation fields', () => {
    const call = startCall({ callId: 'c-7' });
    expect(call.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(call.traceparent).toBe(`00-${call.traceId}-${call.spanId}-01`);
    expect(call.openai).toEqual({
      traceId: `trace_${call.traceId}`,
      workflowName: 'calltrace call',
      groupId: 'c-7',
      traceMetadata: { calltrace_trace_id: call.traceId, call_id: 'c-7' },
    });
    // The traceparent is what the W3C propagator would write for the call's context.
    const carrier: Record<string, string> = {};
    new W3CTraceContextPropagator().inject(call.context, carrier, {
      set: (c, k, v) => ((c as Record<string, string>)[k] = v),
    });
    expect(carrier.traceparent).toBe(call.traceparent);
    call.end();
  });

  it('run() makes the call and its span active; end() is idempotent', () => {
    const call = startCall({ callId: 'c-run' });
    call.run(() => {
      expect(activeCall()?.callId).toBe('c-run');
      trace.getTracer('t').startSpan('child').end();
    });
    expect(activeCall()).toBeUndefined();
    call.end({ status: 'no-answer' });
    call.end({ error: new Error('late') });
    expect(call.ended).toBe(true);
    const root = otel.one('call');
    expect(root.attributes[CallAttr.status]).toBe('no-answer');
    expect(root.status.code).toBe(0);
    expect(parentOf(otel.one('child'))).toBe(idOf(root));
  });

  it('end({ error }) records ERROR and error.type', () => {
    class SipTimeout extends Error {
      override name = 'SipTimeout';
    }
    startCall().end({ error: new SipTimeout('no ACK'), reason: 'timeout' });
    const root = otel.one('call');
    expect(root.status).toEqual({ code: 2 }); // the message only with captureContent
    expect(root.attributes['error.type']).toBe('SipTimeout');
    expect(root.attributes[CallAttr.status]).toBe('failed');
    expect(root.attributes[CallAttr.endReason]).toBe('timeout');
  });

  it('takes a configurable root span name', () => {
    startCall({ spanName: 'acme.call' }).end();
    expect(parentOf(otel.one('acme.call'))).toBeUndefined();
  });

  it('links to the span active when it starts, without adopting it', async () => {
    const tracer = trace.getTracer('t');
    await tracer.startActiveSpan('POST /webhook', async (webhook) => {
      const call = startCall();
      call.end();
      webhook.end();
    });
    const root = otel.one('call');
    const webhook = otel.one('POST /webhook');
    expect(parentOf(root)).toBeUndefined();
    expect(root.spanContext().traceId).not.toBe(webhook.spanContext().traceId);
    expect(root.links.map((l) => l.context.spanId)).toEqual([idOf(webhook)]);
  });

  it('becomes a child when given an explicit parent', async () => {
    const tracer = trace.getTracer('t');
    const upstream = tracer.startSpan('upstream');
    const call = startCall({ parent: trace.setSpan(ROOT_CONTEXT, upstream) });
    call.end();
    upstream.end();
    expect(parentOf(otel.one('call'))).toBe(idOf(otel.one('upstream')));
  });
});

describe('phone numbers', () => {
  it('normalises common formats and rejects what is not a number', () => {
    expect(normalizePhoneNumber('+1 (555) 010-0100')).toBe('+15550100100');
    expect(normalizePhoneNumber('555.010.0100')).toBe('5550100100');
    expect(normalizePhoneNumber('anonymous')).toBeUndefined();
    expect(normalizePhoneNumber('1'.repeat(100))).toBeUndefined();
    expect(maskPhoneNumber('+15550100100')).toBe('+*******0100');
    expect(maskPhoneNumber('12345')).toBe('****5');
  });
});
