#!/usr/bin/env node
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createCallIndex } from '../store/call-index.js';
import { CallIndexConfigError, CallIndexInputError } from '../store/errors.js';
import { oneLine } from './escape.js';
import { formatCalls } from './format.js';
import { serveLookupPage } from './serve.js';

/** Where the embedded index and the span file live when no `--database-url` is given (relative to the cwd). */
export const DEFAULT_DATA_DIR = '.calltrace/index';
const DEFAULT_SPANS_FILE = '.calltrace/spans.jsonl';
const DEFAULT_PORT = 4455;

const USAGE = `usage: calltrace lookup <number | call id | trace id> [options]
       calltrace serve [--port N] [options]       the lookup page on http://127.0.0.1:N/

  --database-url URL   PostgreSQL index (default: $CALLTRACE_DATABASE_URL, else the embedded
                       index in ${DEFAULT_DATA_DIR} under the current directory)
  --data-dir DIR       embedded (PGlite) index directory
  --schema NAME        schema of the calls table (default: calltrace)
  --trace-url TPL      trace link template, e.g. http://localhost:16686/trace/{traceId}
                       (default: $CALLTRACE_TRACE_URL)
  --limit N            most calls shown, newest first (default: 20)
  --json               print JSON
  --spans-file FILE    serve: OTLP-JSON span file for the waterfall (default: ${DEFAULT_SPANS_FILE})
  --port N             serve: port (default: ${DEFAULT_PORT})
The number key is read from $CALLTRACE_INDEX_KEY.`;

const say = (stream: NodeJS.WriteStream, text: string) =>
  stream.write(`${text.split('\n').map(oneLine).join('\n')}\n`);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      schema: { type: 'string' },
      'trace-url': { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      'spans-file': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, query] = positionals;
  const serve = command === 'serve' && positionals.length === 1;
  const lookup = command === 'lookup' && query !== undefined && positionals.length === 2;
  if (values.help || !(serve || lookup)) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const databaseUrl = values['database-url'] || process.env.CALLTRACE_DATABASE_URL || undefined;
  const dataDir = databaseUrl ? undefined : (values['data-dir'] ?? DEFAULT_DATA_DIR);
  const schema = values.schema ?? 'calltrace';
  const where = databaseUrl ? `in schema "${schema}" of that database` : `at ${dataDir}`;
  const index = createCallIndex({
    databaseUrl,
    dataDir,
    schema,
    traceUrlTemplate: values['trace-url'] ?? process.env.CALLTRACE_TRACE_URL,
  });
  if (serve) {
    const spansFile = values['spans-file'] ?? DEFAULT_SPANS_FILE;
    const server = await serveLookupPage(
      index,
      existsSync(spansFile) ? spansFile : undefined,
      port(values.port),
    );
    say(
      process.stdout,
      `Lookup page: http://127.0.0.1:${(server.address() as AddressInfo).port}/  (index ${where}; Ctrl-C to stop)`,
    );
    const stop = () => server.close(() => void index.close().then(() => process.exit(0)));
    process.once('SIGINT', stop).once('SIGTERM', stop);
    return new Promise<number>(() => undefined);
  }
  try {
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    const found = await index.search(query!, { limit });
    if (!found.indexFound) {
      say(
        process.stderr,
        `calltrace: no call index ${where}: nothing has been recorded there (check --data-dir, --database-url, --schema)`,
      );
      return 1;
    }
    if (found.notANumber && found.calls.length === 0) {
      say(process.stderr, `calltrace: ${found.notANumber}; and no call has this id`);
      return 2;
    }
    if (found.notANumber)
      say(
        process.stderr,
        `calltrace: not read as a phone number (${found.notANumber}); shown: calls with this id`,
      );
    process.stdout.write(
      values.json ? `${JSON.stringify(found.calls, null, 2)}\n` : formatCalls(found.calls, found),
    );
    return 0;
  } finally {
    await index.close();
  }
}

function port(value: string | undefined): number {
  const n = value === undefined ? DEFAULT_PORT : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new CallIndexInputError('--port must be 0–65535');
  return n;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof CallIndexInputError || error instanceof CallIndexConfigError;
    const message = error instanceof Error ? error.message : String(error);
    say(process.stderr, `calltrace: ${known ? message : `lookup failed: ${message}`}`);
    process.exit(known || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
  },
);
