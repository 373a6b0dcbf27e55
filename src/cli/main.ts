#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createCallIndex } from '../store/call-index.js';
import { CallIndexConfigError, CallIndexInputError } from '../store/errors.js';
import { OptionalPeerMissingError } from '../optional-peer.js';
import { formatCalls } from './format.js';

/** Where the embedded index lives when no `--database-url` is given (relative to the cwd). */
export const DEFAULT_DATA_DIR = '.calltrace/index';

const USAGE = `usage: calltrace lookup <number | call id | trace id> [options]

  --database-url URL   PostgreSQL index (default: $CALLTRACE_DATABASE_URL, else the embedded
                       index in ${DEFAULT_DATA_DIR} under the current directory)
  --data-dir DIR       embedded (PGlite) index directory
  --schema NAME        schema of the calls table (default: calltrace)
  --trace-url TPL      trace link template, e.g. http://localhost:16686/trace/{traceId}
                       (default: $CALLTRACE_TRACE_URL)
  --limit N            most calls shown, newest first (default: 20)
  --json               print JSON
The number key is read from $CALLTRACE_INDEX_KEY.`;

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
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, query] = positionals;
  if (values.help || command !== 'lookup' || query === undefined || positionals.length > 2) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const databaseUrl = values['database-url'] ?? process.env.CALLTRACE_DATABASE_URL;
  const index = createCallIndex({
    databaseUrl,
    dataDir: databaseUrl ? undefined : (values['data-dir'] ?? DEFAULT_DATA_DIR),
    schema: values.schema,
    traceUrlTemplate: values['trace-url'] ?? process.env.CALLTRACE_TRACE_URL,
  });
  try {
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    const calls = await index.lookup(query, { limit });
    process.stdout.write(values.json ? `${JSON.stringify(calls, null, 2)}\n` : formatCalls(calls));
    return 0;
  } finally {
    await index.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A missing optional peer has already been named on stderr (noticeOnce) unless silenced.
    if (error instanceof OptionalPeerMissingError && process.env.CALLTRACE_SILENT !== '1') {
      process.exit(2);
    }
    const known =
      error instanceof CallIndexInputError ||
      error instanceof CallIndexConfigError ||
      error instanceof OptionalPeerMissingError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`calltrace: ${known ? message : `lookup failed: ${message}`}\n`);
    process.exit(known || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
  },
);
