import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasService } from './helpers/services.js';

/** The demo and the starters must keep running as the README says: run them for real. */
const run = promisify(execFile);
const env = { ...process.env, OPENAI_API_KEY: '', NODE_ENV: 'production' };

async function tsx(file: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
    env,
    timeout: 60_000,
  });
  return stdout;
}

describe('runnable examples', () => {
  it(
    'npm run demo prints a voice call trace with the latency split and a barge-in',
    { timeout: 90_000 },
    async () => {
      const out = await tsx('examples/demo/voice-call.ts');
      expect(out).toContain('Twilio webhook answered 200');
      for (const part of [
        'call  ',
        'sip.invite',
        'gen_ai.realtime.session',
        'execute_tool lookup_order',
        'GET /orders/:id',
        'calltrace.turn.wait.ours_ms=',
        'gen_ai.audio.barge_in',
        'calltrace.call.barge_ins=1',
      ]) {
        expect(out).toContain(part);
      }
      // One trace only: everything hangs off the call.
      expect(out.match(/^trace /gm)).toHaveLength(1);
    },
  );

  it('the text-agent demo prints its tree', { timeout: 90_000 }, async () => {
    const out = await tsx('examples/demo/call.ts');
    expect(out).toContain('execute_tool charge_card');
    expect(out).toMatch(/OpenAI trace id for this call: trace_[0-9a-f]{32}/);
  });

  it('examples/twilio-realtime runs offline', { timeout: 90_000 }, async () => {
    const out = await tsx('examples/twilio-realtime/main.ts');
    expect(out).toContain('<Connect><Stream');
    expect(out).toMatch(/[1-9]\d* audio chunks reached the caller/);
    for (const part of [
      'sip.invite',
      'gen_ai.realtime.session',
      'execute_tool lookup_order',
      'calltrace.turn.wait.model_ms=',
    ]) {
      expect(out).toContain(part);
    }
  });

  for (const name of ['express-tool-server', 'hono-tool-server']) {
    it(
      `examples/${name} runs offline and the service joins the call`,
      { timeout: 90_000 },
      async () => {
        const out = await tsx(`examples/${name}/main.ts`);
        expect(out).toMatch(
          /execute_tool lookup_order[\s\S]*GET \/orders\/:id[\s\S]*SELECT orders/,
        );
        expect(out.match(/^trace /gm)).toHaveLength(1);
      },
    );
  }

  it(
    'examples/browser-voice explains itself and exits without a key',
    { timeout: 90_000 },
    async () => {
      const out = await tsx('examples/browser-voice/server.ts');
      expect(out).toContain('OPENAI_API_KEY is not set');
    },
  );
});

const messaging = (await hasService('nats')) && (await hasService('redis'));
describe.skipIf(!messaging)('runnable examples that need NATS and Redis', () => {
  it(
    'examples/nats-tools: agent → NATS service → BullMQ job in one trace',
    { timeout: 90_000 },
    async () => {
      const out = await tsx('examples/nats-tools/main.ts');
      expect(out).toMatch(
        /execute_tool \S+[\s\S]*send \S+[\s\S]*process \S+[\s\S]*add \S+[\s\S]*process after-hours/,
      );
      expect(out.match(/^trace /gm)).toHaveLength(1);
    },
  );
});
