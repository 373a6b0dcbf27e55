import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import twilio from 'twilio';
import fc from 'fast-check';
import { setupOtel } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import { FaultyProcessor, watchProcess } from './helpers/faults.js';
import {
  CallRegistry,
  twilioWebhookExpress,
  twilioWebhookHono,
  verifyTwilioSignature,
} from '../adapters/twilio/index.js';
import {
  openaiSipWebhookExpress,
  openaiSipWebhookHono,
  type OpenAISipWebhookOptions,
} from '../adapters/openai-sip/index.js';

const faulty = new FaultyProcessor();
const otel = setupOtel([faulty]);
const proc = watchProcess();
beforeAll(() => proc.install());
beforeEach(() => {
  otel.reset();
  faulty.reset();
  proc.clear();
});
afterEach(async () => {
  await proc.settle();
  expect(proc.rejections).toEqual([]);
  expect(proc.uncaught).toEqual([]);
});
afterAll(async () => {
  proc.uninstall();
  await otel.shutdown();
});

const TOKEN = 'test-auth-token-123';
const SECRET = 'whsec_' + Buffer.from('super-secret-signing-key-0123456789').toString('base64');
const TWIML = '<Response><Say>hi</Say></Response>';

type Server = { url: string; close: () => Promise<void>; registry: CallRegistry };

/** Each webhook on each framework, its route answering TwiML / 200 with a body. */
const servers: Record<string, (o?: Partial<OpenAISipWebhookOptions>) => Promise<Server>> = {
  'twilio express': async () => {
    const registry = new CallRegistry();
    const app = express();
    app.post(
      '/hook',
      express.urlencoded({ extended: false }),
      twilioWebhookExpress({ authToken: TOKEN, registry }),
      (_req, res) => void res.type('text/xml').send(TWIML),
    );
    return { ...(await listen(createServer(app))), registry };
  },
  'twilio express (no body parser)': async () => {
    const registry = new CallRegistry();
    const app = express();
    app.post('/hook', twilioWebhookExpress({ authToken: TOKEN, registry }), (_req, res) =>
      res.type('text/xml').send(TWIML),
    );
    return { ...(await listen(createServer(app))), registry };
  },
  'twilio hono': async () => {
    const registry = new CallRegistry();
    const app = new Hono();
    app.post('/hook', twilioWebhookHono({ authToken: TOKEN, registry }), async (c) => {
      const form = await c.req.parseBody(); // the body is still readable after the middleware
      return c.body(`${TWIML}<!--${String(form.CallSid)}-->`, 200, { 'content-type': 'text/xml' });
    });
    return { ...(await listen(createServer(getRequestListener(app.fetch)))), registry };
  },
  'openai-sip express': async (o = {}) => {
    const registry = new CallRegistry();
    const app = express();
    app.post(
      '/hook',
      express.text({ type: '*/*' }),
      openaiSipWebhookExpress({ secret: SECRET, registry, ...o }),
      (req, res) => void res.status(Number(req.query.status ?? 200)).send('accepted'),
    );
    return { ...(await listen(createServer(app))), registry };
  },
  'openai-sip hono': async (o = {}) => {
    const registry = new CallRegistry();
    const app = new Hono();
    app.post('/hook', openaiSipWebhookHono({ secret: SECRET, registry, ...o }), (c) =>
      c.text('accepted', Number(c.req.query('status') ?? 200) as 200),
    );
    return { ...(await listen(createServer(getRequestListener(app.fetch)))), registry };
  },
};

const twilioParams = {
  CallSid: 'CA1234567890abcdef1234567890abcdef',
  From: '+15550100100',
  To: '+15550109999',
  Direction: 'inbound',
};

function openaiEvent(data: unknown = { call_id: 'rtc_1', sip_headers: [] }) {
  return JSON.stringify({ id: 'evt_1', type: 'realtime.call.incoming', data });
}

function signOpenAI(body: string, id = 'wh_1', at = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(SECRET.slice(6), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': `v1,${sig}` };
}

let deliveries = 0;

/** A validly signed request for the server's webhook (a new delivery each time). */
function signedRequest(name: string, url: string): RequestInit {
  if (name.startsWith('twilio')) {
    const sig = twilio.getExpectedTwilioSignature(TOKEN, url, twilioParams);
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
      body: new URLSearchParams(twilioParams).toString(),
    };
  }
  const body = openaiEvent();
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signOpenAI(body, `wh_${++deliveries}`) },
    body,
  };
}

for (const [name, make] of Object.entries(servers)) {
  describe(`${name}: a broken span processor never changes the answer`, () => {
    let server: Server;
    beforeEach(async () => {
      server = await make();
    });
    afterEach(() => server.close());

    for (const where of ['onStart', 'onEnd'] as const) {
      for (const target of [['sip.invite'], ['sip.invite', 'call']]) {
        it(`a processor throwing in ${where} on ${target.join(' and ')}: same status and body`, async () => {
          const clean = await fetch(
            `${server.url}/hook`,
            signedRequest(name, `${server.url}/hook`),
          );
          const cleanBody = await clean.text();
          expect(clean.status).toBe(200);
          const match = (span: string) => target.includes(span);
          if (where === 'onStart') faulty.onStartFault = match;
          else faulty.onEndFault = match;
          const res = await fetch(`${server.url}/hook`, {
            ...signedRequest(name, `${server.url}/hook`),
            signal: AbortSignal.timeout(5000),
          });
          expect(res.status).toBe(200);
          expect(await res.text()).toBe(cleanBody);
          await proc.settle();
          expect(faulty.thrown).toBeGreaterThan(0);
        });
      }
    }
  });
}

describe('Twilio signature: repeated parameters are signed as twilio.validateRequest signs them', () => {
  const name = fc.constantFrom('A', 'B', 'Foo[]', 'Digits', 'CallSid', 'x y', 'é');
  const value = fc.string({ maxLength: 8 });
  const form = fc.array(fc.tuple(name, value), { maxLength: 8 });

  /** What Express's urlencoded({ extended: false }) and twilio's docs hand to validateRequest. */
  function asParams(pairs: Array<[string, string]>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of pairs) {
      const prev = out[k];
      out[k] = prev === undefined ? v : [...[prev].flat(), v];
    }
    return out;
  }

  it('agrees with twilio.validateRequest on generated forms, signed and tampered', async () => {
    await fc.assert(
      fc.asyncProperty(form, form, async (pairs, injected) => {
        const url = 'https://example.test/voice?x=1';
        const params = asParams(pairs);
        const sig = twilio.getExpectedTwilioSignature(TOKEN, url, params);
        const tampered = asParams([...pairs, ...injected]);
        for (const p of [params, tampered]) {
          expect(await verifyTwilioSignature(TOKEN, sig, url, p)).toBe(
            twilio.validateRequest(TOKEN, sig, url, p),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an injected repeat of a signed parameter is refused (A=1 signed, A=1&A=2 sent)', async () => {
    const url = 'https://example.test/voice';
    const sig = twilio.getExpectedTwilioSignature(TOKEN, url, { A: '1' });
    expect(twilio.validateRequest(TOKEN, sig, url, { A: ['1', '2'] })).toBe(false);
    expect(await verifyTwilioSignature(TOKEN, sig, url, { A: ['1', '2'] })).toBe(false);
  });

  for (const fw of ['twilio express', 'twilio express (no body parser)', 'twilio hono']) {
    it(`${fw}: a real request with repeated parameters passes, an injected one is refused`, async () => {
      const server = await servers[fw]!();
      try {
        const url = `${server.url}/hook`;
        const signed = { ...twilioParams, 'Foo[]': ['a', 'b'], A: ['1', '2'] };
        const sig = twilio.getExpectedTwilioSignature(TOKEN, url, signed);
        const body = new URLSearchParams(twilioParams);
        for (const [k, v] of [
          ['Foo[]', 'a'],
          ['Foo[]', 'b'],
          ['A', '1'],
          ['A', '2'],
        ])
          body.append(k!, v!);
        const post = (b: URLSearchParams) =>
          fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': sig,
            },
            body: b.toString(),
          });
        expect((await post(body)).status).toBe(200);
        body.append('A', '3');
        expect((await post(body)).status).toBe(403);
      } finally {
        await server.close();
      }
    });
  }

  for (const fw of ['twilio express (no body parser)', 'twilio hono']) {
    it(`${fw}: a JSON body is checked against bodySHA256, not passed on the URL alone`, async () => {
      const server = await servers[fw]!();
      try {
        const body = JSON.stringify({ CallSid: 'CAjson', From: '+15550100100' });
        const hash = createHash('sha256').update(body).digest('hex');
        const url = `${server.url}/hook?bodySHA256=${hash}`;
        const sig = twilio.getExpectedTwilioSignature(TOKEN, url, {});
        expect(twilio.validateRequestWithBody(TOKEN, sig, url, body)).toBe(true);
        const post = (b: string) =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-twilio-signature': sig },
            body: b,
          });
        expect((await post(body)).status).toBe(200);
        const forged = body.replace('CAjson', 'CAforged');
        expect(twilio.validateRequestWithBody(TOKEN, sig, url, forged)).toBe(false);
        expect((await post(forged)).status).toBe(403);
      } finally {
        await server.close();
      }
    });
  }
});

describe('Hono webhooks cap the body before reading it whole', () => {
  for (const fw of ['twilio hono', 'openai-sip hono']) {
    it(`${fw}: a 200 MB unsigned chunked body gets 413 without growing RSS by 200 MB`, async () => {
      const server = await servers[fw]!();
      try {
        const chunk = new Uint8Array(1024 * 1024).fill(65);
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= 200) return controller.close();
            sent++;
            controller.enqueue(chunk);
          },
        });
        const before = process.memoryUsage().rss;
        let status: number | undefined;
        try {
          const res = await fetch(`${server.url}/hook`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: stream,
            duplex: 'half',
          } as RequestInit);
          status = res.status;
          await res.text();
        } catch {
          // the server may close the connection mid-upload once it has answered
        }
        const grown = process.memoryUsage().rss - before;
        if (status !== undefined) expect(status).toBe(413);
        expect(grown).toBeLessThan(100 * 1024 * 1024);
        expect(otel.byName('call')).toHaveLength(0);
      } finally {
        await server.close();
      }
    });

    it(`${fw}: a declared Content-Length over the cap is refused before reading`, async () => {
      const server = await servers[fw]!();
      try {
        const res = await fetch(`${server.url}/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: 'x'.repeat(300 * 1024),
        });
        expect(res.status).toBe(413);
      } finally {
        await server.close();
      }
    });
  }
});

for (const fw of ['openai-sip express', 'openai-sip hono']) {
  describe(`${fw}: hostile but signed events`, () => {
    let server: Server | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const post = (body: string, headers: Record<string, string>, query = '') =>
      fetch(`${server!.url}/hook${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    it('a signed realtime.call.incoming with data: null gets 400, not 500', async () => {
      server = await servers[fw]!();
      for (const data of [null, 'x', 7, []]) {
        const body = openaiEvent(data);
        expect((await post(body, signOpenAI(body, `wh_${JSON.stringify(data)}`))).status).toBe(400);
      }
      expect(otel.byName('call')).toHaveLength(0);
    });

    it('an empty secret answers 401, not 500', async () => {
      server = await servers[fw]!({ secret: '' });
      const body = openaiEvent();
      expect((await post(body, signOpenAI(body))).status).toBe(401);
      expect(otel.byName('call')).toHaveLength(0);
    });

    it('a replay inside the tolerance is refused by webhook-id: one call, not two', async () => {
      server = await servers[fw]!();
      const body = openaiEvent();
      const headers = signOpenAI(body, 'wh_replay');
      expect((await post(body, headers)).status).toBe(200);
      expect((await post(body, headers)).status).toBe(409);
      expect(otel.byName('sip.invite')).toHaveLength(1);
      server.registry.get('rtc_1')?.end();
      expect(otel.byName('call')).toHaveLength(1);
    });

    it('a retry after the route failed (5xx) is let through', async () => {
      server = await servers[fw]!();
      const body = openaiEvent();
      const headers = signOpenAI(body, 'wh_retry');
      expect((await post(body, headers, '?status=503')).status).toBe(503);
      expect((await post(body, headers)).status).toBe(200);
    });
  });
}
