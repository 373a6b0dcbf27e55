import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasService } from './helpers/services.js';

/** The demo and the starters must keep running as the README says: run them for real. */
const run = promisify(execFile);
// The demo records into <demoHome>/.calltrace (index + spans), where `calltrace lookup` looks.
const demoHome = mkdtempSync(join(tmpdir(), 'calltrace-demo-'));
const env = {
  ...process.env,
  OPENAI_API_KEY: '',
  NODE_ENV: 'production',
  CALLTRACE_DEMO_DIR: join(demoHome, '.calltrace'),
};

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
        'calltrace.voice.first_audio.duration {transport=websocket',
        'gen_ai.client.token.usage {',
      ]) {
        expect(out).toContain(part);
      }
      // One trace only: everything hangs off the call.
      expect(out.match(/^trace /gm)).toHaveLength(1);
    },
  );

  it(
    'npm run demo -- --serve: the page finds the demo call; the printed lookup command finds it and links to its waterfall',
    { timeout: 120_000 },
    async () => {
      const demo = spawn(
        process.execPath,
        ['--import', 'tsx', 'examples/demo/voice-call.ts', '--serve', '--port', '0'],
        { env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      const exited = new Promise((r) => demo.once('exit', r));
      const pageUrl = await new Promise<string>((resolvePage, reject) => {
        demo.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Lookup page: (http:\/\/127\.0\.0\.1:\d+\/\?q=\S+)/.exec(out);
          if (m) resolvePage(m[1]!);
        });
        demo.once('exit', (code) =>
          reject(new Error(`demo exited ${code} before serving:\n${out}`)),
        );
      });
      try {
        const list = await fetch(pageUrl);
        expect(list.status).toBe(200);
        const html = await list.text();
        expect(html).toContain('CAdemo0000000000000000000000000001');
        const traceId = /\/trace\/([0-9a-f]{32})/.exec(html)?.[1];
        expect(traceId).toBeDefined();
        const waterfall = await fetch(new URL(`/trace/${traceId}`, pageUrl));
        expect(waterfall.status).toBe(200);
        expect(await waterfall.text()).toContain('execute_tool lookup_order');

        // PGlite is one process at a time: stop the page, then run the command the demo printed.
        demo.kill('SIGTERM');
        await exited;
        const command = /^ {2}npx tsx src\/cli\/main\.ts (lookup .*)$/m.exec(out)?.[1];
        expect(command).toBeDefined();
        const args = [...command!.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
        const lookup = spawnSync(
          resolve('node_modules/.bin/tsx'),
          [resolve('src/cli/main.ts'), ...args],
          {
            cwd: demoHome,
            env,
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
        expect(lookup.status).toBe(0);
        expect(lookup.stdout).toContain('CAdemo0000000000000000000000000001');
        const { port } = new URL(pageUrl);
        expect(lookup.stdout).toContain(`link     http://127.0.0.1:${port}/trace/${traceId}`);
      } finally {
        demo.kill('SIGTERM');
      }
    },
  );

  it(
    'examples/quickstart runs offline, prints its tree, and the lookup finds its call',
    { timeout: 120_000 },
    async () => {
      const tsxBin = resolve('node_modules/.bin/tsx');
      const tsconfig = ['--tsconfig', resolve('tsconfig.json')];
      const quickstart = spawnSync(
        tsxBin,
        [...tsconfig, resolve('examples/quickstart/quickstart.ts')],
        { cwd: demoHome, env, encoding: 'utf8', timeout: 120_000 },
      );
      expect(quickstart.status).toBe(0);
      expect(quickstart.stdout).toMatch(
        /execute_tool lookup_order .*gen_ai\.tool\.call\.id=call_lookup_1/,
      );
      expect(quickstart.stdout).toContain('chat scripted-model');
      expect(quickstart.stdout).toContain('npx calltrace lookup +15550100100');
      const lookup = spawnSync(
        tsxBin,
        [...tsconfig, resolve('src/cli/main.ts'), 'lookup', '+15550100100'],
        { cwd: demoHome, env, encoding: 'utf8', timeout: 60_000 },
      );
      expect(lookup.status).toBe(0);
      expect(lookup.stdout).toContain('CA-quickstart-1');
    },
  );

  it(
    'examples/snippets/fake-realtime.ts runs a voice call offline',
    { timeout: 120_000 },
    async () => {
      const out = await tsx('examples/snippets/fake-realtime.ts');
      expect(out).toMatch(/call[\s\S]*gen_ai\.realtime\.session[\s\S]*execute_tool lookup_order/);
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
