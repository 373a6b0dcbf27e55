/**
 * HTTP server middleware cost, with autocannon on loopback against a hello-world route, for
 * Express and Hono: bare, calltrace, a minimal hand-written middleware (extract + one SERVER
 * span + context.with) and the standard peer (@opentelemetry/instrumentation-http + -express;
 * @hono/otel). Each server runs in its own process (bench/http-server.ts) so its CPU time per
 * request is its own. Variants are interleaved round by round; figures are medians, and the
 * calltrace/minimal ratio is the median of each round's back-to-back pair.
 * Target: calltrace ≥ 0.95x the minimal middleware's requests/s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.HTTP_BENCH_ROUNDS ?? 7);
const VARIANTS = ['bare', 'calltrace', 'minimal', 'peer'] as const;
const FRAMEWORKS = ['express', 'hono'] as const;
// A tool service is called with the caller's context: every request carries a traceparent.
const HEADERS = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

interface Server {
  framework: string;
  variant: string;
  child: ChildProcess;
  port: number;
  rps: number[];
  cpuPerReq: number[];
  spansPerReq: number;
}

const here = dirname(fileURLToPath(import.meta.url));
function start(framework: string, variant: string): Promise<Server> {
  const child = fork(join(here, 'http-server.ts'), [framework, variant], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { port: number }) =>
      resolve({ framework, variant, child, port: m.port, rps: [], cpuPerReq: [], spansPerReq: 0 }),
    );
  });
}

const usage = (s: Server) =>
  new Promise<{ cpu: number; spans: number }>((resolve) => {
    s.child.once('message', resolve);
    s.child.send('cpu');
  });

async function load(s: Server, seconds: number, record: boolean): Promise<void> {
  const before = await usage(s);
  const result = await autocannon({
    url: `http://127.0.0.1:${s.port}/hello`,
    connections: 10,
    duration: seconds,
    headers: HEADERS,
  });
  const after = await usage(s);
  const requests = result.requests.total;
  if (!record) return;
  if (result.non2xx || result.errors) throw new Error(`${s.framework}/${s.variant}: errors`);
  s.rps.push(requests / seconds);
  s.cpuPerReq.push((after.cpu - before.cpu) / requests);
  s.spansPerReq = (after.spans - before.spans) / requests;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const servers: Server[] = [];
for (const f of FRAMEWORKS) for (const v of VARIANTS) servers.push(await start(f, v));
try {
  for (const s of servers) await load(s, 1, false); // warm-up: JIT, connection pools
  // Alternate the order each round (forwards, then backwards) so no variant always runs
  // first or follows the same neighbour; calltrace and minimal always run back to back.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...servers].reverse() : servers;
    for (const s of order) await load(s, SECONDS, true);
  }
} finally {
  for (const s of servers) s.child.kill();
}

for (const f of FRAMEWORKS) {
  const of = (v: string) => servers.find((s) => s.framework === f && s.variant === v)!;
  const bare = of('bare');
  console.log(`${f} (${ROUNDS} × ${SECONDS} s per variant, 10 connections, medians)`);
  for (const v of VARIANTS) {
    const s = of(v);
    console.log(
      `  ${v.padEnd(10)} ${median(s.rps).toFixed(0).padStart(6)} req/s  ${(median(s.rps) / median(bare.rps)).toFixed(2)}x bare  ` +
        `server CPU ${median(s.cpuPerReq).toFixed(1)} µs/req  spans/req ${s.spansPerReq.toFixed(2)}`,
    );
  }
  // Paired by round: calltrace and minimal run back to back in every round, so the ratio of
  // each round's pair cancels the machine's drift (other processes, CPU frequency) far better
  // than a ratio of two medians taken minutes apart.
  const pairs = of('calltrace').rps.map((r, i) => r / of('minimal').rps[i]!);
  const ratio = median(pairs);
  const cpuRatio = median(of('calltrace').cpuPerReq) / median(of('minimal').cpuPerReq);
  const spread = `${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}`;
  console.log(
    `${f}: calltrace vs minimal middleware = ${ratio.toFixed(3)}x req/s (median of ${pairs.length} paired rounds, spread ${spread}; target ≥ 0.95x)${ratio >= 0.95 ? '  ok' : '  MISSED'}, ` +
      `${cpuRatio.toFixed(3)}x server CPU per request`,
  );
  console.log(
    `${f}: calltrace vs standard peer = ${(median(of('calltrace').rps) / median(of('peer').rps)).toFixed(2)}x req/s`,
  );
}
