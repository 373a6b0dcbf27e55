import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { recordSkip } from './skip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_SCRIPT = `${ROOT}scripts/build-go-binaries.sh`;

/**
 * Set by CI on its non-primary Node runs: the Collector and Jaeger tests run once, on the
 * primary Node version (they test Go binaries, not Node).
 */
export const SKIP_GO_TESTS_VAR = 'CALLTRACE_SKIP_GO_TESTS';

/**
 * The cached binary `scripts/build-go-binaries.sh` built for `name`, or undefined (with a
 * printed notice) when the tests that need it must skip: Go absent, or not built yet. Under
 * CI=true (which builds them first) a missing binary throws instead, failing the file.
 */
export function goBinary(
  name: 'otelcol' | 'jaeger',
  { requiredInCi = true }: { requiredInCi?: boolean } = {},
): string | undefined {
  if (process.env[SKIP_GO_TESTS_VAR] === '1') {
    recordSkip(`${SKIP_GO_TESTS_VAR}=1: tests of the ${name} binary are skipped`);
    return undefined;
  }
  let path: string | undefined;
  try {
    path = execFileSync('bash', [BUILD_SCRIPT, '--path', name], { encoding: 'utf8' }).trim();
  } catch {
    path = undefined;
  }
  if (path && existsSync(path)) return path;
  const why = path
    ? `${name} is not built (run: bash scripts/build-go-binaries.sh ${name})`
    : `go not found: the ${name} binary cannot be built`;
  if (process.env.CI === 'true' && requiredInCi) throw new Error(`${why} (required under CI=true)`);
  recordSkip(`${why}: tests that need it are skipped`);
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

export async function waitForPort(port: number, child: ChildProcess, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port} within ${ms} ms`);
}

/** Starts a binary with its output in `logFile`; resolves once `port` accepts connections. */
export async function startBinary(
  binary: string,
  args: string[],
  options: { env?: Record<string, string>; logFile: string; port: number; name: string },
): Promise<ChildProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(binary, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  await waitForPort(options.port, child, options.name);
  return child;
}

/** SIGTERM (or `signal`), then waits for the exit. */
export async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Resident memory of a live process, in MiB (Linux /proc). */
export function rssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export { ROOT };
