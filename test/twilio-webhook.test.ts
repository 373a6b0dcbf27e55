import { createServer } from 'node:http';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import twilio from 'twilio';
import { trace } from '@opentelemetry/api';
import { idOf, parentOf, setupOtel } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import { CallAttr } from '../src/index.js';
import { CallRegistry, twilioWebhookExpress, twilioWebhookHono } from '../adapters/twilio/index.js';
import { verifyTwilioSignature } from '../src/webhooks/twilio-signature.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

const AUTH_TOKEN = 'test-auth-token-123';
const params = {
  CallSid: 'CA1234567890abcdef1234567890abcdef',
  AccountSid: 'AC0000',
  From: '+15550100100',
  To: '+15550109999',
  Direction: 'inbound',
  CallStatus: 'ringing',
};

type Made = { url: string; close: () => Promise<void>; registry: CallRegistry };
const frameworks: Record<string, () => Promise<Made>> = {
  express: async () => {
    const registry = new CallRegistry();
    const app = express();
    app.post(
      '/voice',
      express.urlencoded({ extended: false }),
      twilioWebhookExpress({ authToken: AUTH_TOKEN, registry }),
      (_req, res) => {
        trace.getTracer('app').startSpan('render twiml').end();
        res
          .type('text/xml')
          .send('<Response><Connect><Stream url="wss://x/media"/></Connect></Response>');
      },
    );
    return { ...(await listen(createServer(app))), registry };
  },
  hono: async () => {
    const registry = new CallRegistry();
    const app = new Hono();
    app.post('/voice', twilioWebhookHono({ authToken: AUTH_TOKEN, registry }), (c) => {
      trace.getTracer('app').startSpan('render twiml').end();
      return c.body('<Response/>', 200, { 'content-type': 'text/xml' });
    });
    return { ...(await listen(createServer(getRequestListener(app.fetch)))), registry };
  },
};

for (const [name, make] of Object.entries(frameworks)) {
  describe(`Twilio voice webhook (${name})`, () => {
    let server: Made;
    beforeEach(async () => {
      server = await make();
    });
    afterEach(() => server.close());

    const post = (signature: string | undefined, body = params) =>
      fetch(`${server.url}/voice`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { 'x-twilio-signature': signature } : {}),
        },
        body: new URLSearchParams(body).toString(),
      });

    it('opens the call and a sip.invite span on a valid signature', async () => {
      const signature = twilio.getExpectedTwilioSignature(
        AUTH_TOKEN,
        `${server.url}/voice`,
        params,
      );
      const res = await post(signature);
      expect(res.status).toBe(200);
      const call = server.registry.get(params.CallSid)!;
      expect(call).toBeDefined();
      call.end();
      const root = otel.one('call');
      const invite = otel.one('sip.invite');
      expect(parentOf(root)).toBeUndefined();
      expect(parentOf(invite)).toBe(idOf(root));
      expect(parentOf(otel.one('render twiml'))).toBe(idOf(invite));
      expect(root.attributes).toMatchObject({
        [CallAttr.callId]: params.CallSid,
        [CallAttr.provider]: 'twilio',
        [CallAttr.providerCallId]: params.CallSid,
        [CallAttr.direction]: 'inbound',
        [CallAttr.callerNumberMasked]: '+*******0100',
      });
      expect(invite.attributes['http.response.status_code']).toBe(200);
      expect(invite.attributes[CallAttr.callerNumberMasked]).toBe('+*******0100');
      expect(JSON.stringify([root.attributes, invite.attributes])).not.toContain('5550100100');
      expect(server.registry.get(params.CallSid)).toBeUndefined(); // left the registry when it ended
    });

    it('answers 403 and opens nothing on a wrong signature', async () => {
      const wrong = twilio.getExpectedTwilioSignature(
        'another-token',
        `${server.url}/voice`,
        params,
      );
      const res = await post(wrong);
      expect(res.status).toBe(403);
      expect(otel.byName('call')).toHaveLength(0);
      expect(otel.byName('sip.invite')).toHaveLength(0);
    });

    it('answers 403 on a missing signature and on tampered parameters', async () => {
      expect((await post(undefined)).status).toBe(403);
      const signature = twilio.getExpectedTwilioSignature(
        AUTH_TOKEN,
        `${server.url}/voice`,
        params,
      );
      expect((await post(signature, { ...params, From: '+15550000000' })).status).toBe(403);
      expect(otel.byName('call')).toHaveLength(0);
    });
  });
}

describe('verifyTwilioSignature', () => {
  it('agrees with twilio.validateRequest on generated requests', async () => {
    for (let i = 0; i < 50; i++) {
      const p: Record<string, string> = {
        CallSid: `CA${i}`,
        Digits: String(i * 7),
        Body: `héllo ${'x'.repeat(i)}`,
      };
      const url = `https://example.test/voice?i=${i}`;
      const sig = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, p);
      expect(await verifyTwilioSignature(AUTH_TOKEN, sig, url, p)).toBe(
        twilio.validateRequest(AUTH_TOKEN, sig, url, p),
      );
      expect(await verifyTwilioSignature(AUTH_TOKEN, sig.slice(1), url, p)).toBe(false);
    }
  });
});
