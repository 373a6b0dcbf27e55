/**
 * The demo's calls go into the embedded call index (PGlite in .calltrace/index) and their
 * spans into .calltrace/spans.jsonl — the defaults of `calltrace lookup` — so that after
 * `npm run demo` the caller's number finds the call. `--serve` then shows the lookup page.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { CallHandle } from 'calltrace';
import { createCallIndex, createLookupPage, OtlpJsonFileExporter } from 'calltrace/store';

/** `CALLTRACE_DEMO_DIR` moves the folder (tests use a temp dir); the CLI reads `<cwd>/.calltrace`. */
const DIR = process.env.CALLTRACE_DEMO_DIR ?? '.calltrace';
const DEFAULT_PORT = 4455;

export interface DemoCallIndex {
  /** Add these to the demo's tracer provider. */
  spanProcessors: SpanProcessor[];
  /** The root span carries the caller only masked: give the index the numbers. */
  track(call: CallHandle, numbers: { from: string; to: string }): void;
  /** Writes what is queued, then prints how to find the call (and serves the page with --serve). */
  finish(caller: string): Promise<void>;
}

export function demoCallIndex(argv = process.argv.slice(2)): DemoCallIndex {
  const serve = argv.includes('--serve');
  const portArg = argv.indexOf('--port');
  const port = portArg >= 0 ? Number(argv[portArg + 1]) : DEFAULT_PORT;
  const spansFile = join(DIR, 'spans.jsonl');
  const index = createCallIndex({ dataDir: join(DIR, 'index') });
  const spansWriter = new SimpleSpanProcessor(new OtlpJsonFileExporter({ path: spansFile }));
  return {
    spanProcessors: [index.spanProcessor, spansWriter],
    track: (call, numbers) => index.track(call, numbers),
    async finish(caller) {
      await spansWriter.forceFlush();
      await index.flush();
      const server = serve ? await serveLookupPage(index, spansFile, port) : undefined;
      const shownPort = server ? (server.address() as AddressInfo).port : port;
      const waterfall = `http://127.0.0.1:${shownPort}/trace/{traceId}`;
      console.log(
        `\nThe call is in the embedded index (${DIR}/index). Find it by the caller's number:`,
      );
      console.log(`  npx tsx src/cli/main.ts lookup ${caller} --trace-url '${waterfall}'`);
      console.log(`  (in your own project: npx calltrace lookup ${caller})`);
      if (!server) {
        await index.close();
        console.log('See it on the lookup page, with its waterfall: npm run demo -- --serve');
        return;
      }
      console.log(
        `Lookup page: http://127.0.0.1:${shownPort}/?q=${encodeURIComponent(caller)}  (Ctrl-C to stop; the index takes one process at a time)`,
      );
      const stop = () => server.close(() => void index.close().then(() => process.exit(0)));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  };
}

/** The framework-neutral lookup page on a plain Node HTTP server, loopback only. */
function serveLookupPage(
  index: Parameters<typeof createLookupPage>[0]['index'],
  spansFile: string,
  port: number,
): Promise<Server> {
  const handle = createLookupPage({ index, spansFile });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    handle('', url.pathname, url.searchParams.get('q') ?? undefined).then(
      (page) => res.writeHead(page.status, page.headers).end(page.body),
      () => res.writeHead(500).end('lookup failed'),
    );
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
