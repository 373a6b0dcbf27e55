import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

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
});
