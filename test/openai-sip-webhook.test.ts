import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import OpenAI from 'openai';
import { trace } from '@opentelemetry/api';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import { CallAttr, SipAttr } from '../src/attributes.js';
import {
  CallRegistry,
  openaiSipWebhookExpress,
  openaiSipWebhookHono,
  type OpenAISipWebhookOptions,
} from '../adapters/openai-sip/index.js';

const otel = setupOtel();
beforeEach(() => otel.reset());
afterAll(() => otel.shutdown());

const SECRET = 'whsec_' + Buffer.from('super-secret-signing-key-0123456789').toString('base64');
const upstream = trace.getTracer('upstream');

function incoming(extraHeaders: Array<{ name: string; value: string }> = []) {
  return JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type: 'realtime.call.incoming',
    created_at: Math.floor(Date.now() / 1000),
    data: {
      call_id: 'rtc_abc123',
      sip_headers: [
        { name: 'From', value: '"Caller" <sip:+15550100100@pstn.example>;tag=1' },
        { name: 'To', value: '<sip:+15550109999@sip.api.openai.com>' },
        ...extraHeaders,
      ],
    },
  });
}

function sign(
  body: string,
  { secret = SECRET, at = Math.floor(Date.now() / 1000), id = 'wh_1' } = {},
) {
  const key = Buffer.from(secret.slice(6), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': `v1,${sig}` };
}

type Made = { url: string; close: () => Promise<void>; registry: CallRegistry };
const frameworks: Record<string, (o?: Partial<OpenAISipWebhookOptions>) => Promise<Made>> = {
  express: async (o = {}) => {
    const registry = new CallRegistry();
    const app = express();
    app.post(
      '/openai/sip',
      express.text({ type: '*/*' }),
      openaiSipWebhookExpress({ secret: SECRET, registry, ...o }),
      (_req, res) => {
        res.status(200).end();
      },
    );
    return { ...(await listen(createServer(app))), registry };
  },
  hono: async (o = {}) => {
    const registry = new CallRegistry();
    const app = new Hono();
    app.post('/openai/sip', openaiSipWebhookHono({ secret: SECRET, registry, ...o }), (c) =>
      c.body(null, 200),
    );
    return { ...(await listen(createServer(getRequestListener(app.fetch)))), registry };
  },
};

for (const [name, make] of Object.entries(frameworks)) {
  describe(`OpenAI SIP webhook (${name})`, () => {
    let server: Made | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${server!.url}/openai/sip`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    it('opens the call from call_id and SIP headers on a valid signature', async () => {
      server = await make();
      const body = incoming();
      const res = await post(body, sign(body));
      expect(res.status).toBe(200);
      server.registry.get('rtc_abc123')!.end();
      const root = otel.one('call');
      const invite = otel.one('sip.invite');
      expect(parentOf(invite)).toBe(idOf(root));
      expect(root.attributes).toMatchObject({
        [CallAttr.callId]: 'rtc_abc123',
        [CallAttr.provider]: 'openai-sip',
        [CallAttr.callerNumberMasked]: '+*******0100',
        [CallAttr.calleeNumber]: '+15550109999',
      });
    });

    it('answers 401 and opens nothing on a wrong or expired signature', async () => {
      server = await make();
      const body = incoming();
      const wrongSecret = 'whsec_' + Buffer.from('another-key').toString('base64');
      expect((await post(body, sign(body, { secret: wrongSecret }))).status).toBe(401);
      expect(
        (await post(body, sign(body, { at: Math.floor(Date.now() / 1000) - 3600 }))).status,
      ).toBe(401);
      expect((await post(body, {})).status).toBe(401);
      expect((await post(body.replace('rtc_abc123', 'rtc_other'), sign(body))).status).toBe(401);
      expect(otel.byName('call')).toHaveLength(0);
    });

    it('only links to a traceparent found in the SIP headers (a public edge)', async () => {
      server = await make();
      const sipSide = upstream.startSpan('sip trunk');
      const tp = `00-${sipSide.spanContext().traceId}-${sipSide.spanContext().spanId}-01`;
      sipSide.end();
      const body = incoming([{ name: 'traceparent', value: tp }]);
      expect((await post(body, sign(body))).status).toBe(200);
      server.registry.get('rtc_abc123')!.end();
      const root = otel.one('call');
      expect(parentOf(root)).toBeUndefined();
      expect(traceOf(root)).not.toBe(sipSide.spanContext().traceId);
      expect(root.links.map((l) => l.context.spanId)).toContain(sipSide.spanContext().spanId);
      expect(otel.one('sip.invite').attributes[SipAttr.incomingTraceparent]).toBe('linked');
    });

    it('adopts it when configured to trust the SIP side', async () => {
      server = await make({ trustIncoming: 'parent' });
      const sipSide = upstream.startSpan('sip trunk');
      const tp = `00-${sipSide.spanContext().traceId}-${sipSide.spanContext().spanId}-01`;
      sipSide.end();
      const body = incoming([{ name: 'traceparent', value: tp }]);
      expect((await post(body, sign(body))).status).toBe(200);
      server.registry.get('rtc_abc123')!.end();
      const root = otel.one('call');
      expect(traceOf(root)).toBe(sipSide.spanContext().traceId);
      expect(parentOf(root)).toBe(sipSide.spanContext().spanId);
    });

    it('ignores a malformed traceparent', async () => {
      server = await make({ trustIncoming: 'parent' });
      const body = incoming([
        { name: 'traceparent', value: '00-00000000000000000000000000000000-0000000000000000-01' },
      ]);
      expect((await post(body, sign(body))).status).toBe(200);
      server.registry.get('rtc_abc123')!.end();
      expect(parentOf(otel.one('call'))).toBeUndefined();
    });
  });
}

describe('signature scheme', () => {
  it('what we accept, the openai SDK accepts', async () => {
    const client = new OpenAI({ apiKey: 'test', webhookSecret: SECRET });
    const body = incoming();
    const headers = sign(body);
    const event = await client.webhooks.unwrap(body, headers);
    expect((event as any).data.call_id).toBe('rtc_abc123');
  });
});
