import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { freePort, ROOT, startBinary, stop } from './go-binaries.js';

const SHIPPED = `${ROOT}deploy/otel-collector`;

/** One span as a tail-sampling collector's file exporter wrote it (OTLP/JSON lines). */
export interface FileSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  error: boolean;
}

interface OtlpLine {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        status?: { code?: number };
      }>;
    }>;
  }>;
}

export function readSpans(file: string): FileSpan[] {
  if (!existsSync(file)) return [];
  const out: FileSpan[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    for (const rs of (JSON.parse(line) as OtlpLine).resourceSpans ?? []) {
      const service =
        rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          out.push({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId ?? '',
            name: s.name,
            service,
            error: s.status?.code === 2,
          });
        }
      }
    }
  }
  return out;
}

/**
 * A tail-sampling collector running the shipped `tail-sampling.yaml` unchanged, plus one
 * override file (the Collector merges `--config` files in order) that only swaps the backend
 * for files: `kept.jsonl` (what the pipeline keeps) and `received.jsonl` (everything the
 * receiver got, on a second pipeline, to see where each span was routed).
 */
export class TailSampler {
  child?: ChildProcess;
  readonly kept: string;
  readonly received: string;
  readonly override: string;

  constructor(
    readonly binary: string,
    readonly dir: string,
    readonly name: string,
    readonly port: number,
    readonly metricsPort: number,
    readonly timing: { decisionWait: string; afterRoot: string },
  ) {
    this.kept = `${dir}/${name}-kept.jsonl`;
    this.received = `${dir}/${name}-received.jsonl`;
    this.override = `${dir}/${name}-files.yaml`;
    writeFileSync(
      this.override,
      [
        'exporters:',
        `  file/kept: { path: ${this.kept}, append: true, flush_interval: 200ms }`,
        `  file/received: { path: ${this.received}, append: true, flush_interval: 200ms }`,
        'service:',
        '  pipelines:',
        '    traces: { exporters: [file/kept] }',
        '    traces/received: { receivers: [otlp], exporters: [file/received] }',
        '',
      ].join('\n'),
    );
  }

  async start(): Promise<void> {
    this.child = await startBinary(
      this.binary,
      ['--config', `${SHIPPED}/tail-sampling.yaml`, '--config', this.override],
      {
        name: this.name,
        port: this.port,
        logFile: `${this.dir}/${this.name}.log`,
        env: {
          CALLTRACE_OTLP_GRPC_ENDPOINT: `127.0.0.1:${this.port}`,
          CALLTRACE_METRICS_HOST: '127.0.0.1',
          CALLTRACE_METRICS_PORT: String(this.metricsPort),
          CALLTRACE_DECISION_WAIT: this.timing.decisionWait,
          CALLTRACE_DECISION_WAIT_AFTER_ROOT: this.timing.afterRoot,
        },
      },
    );
  }

  stop(signal: NodeJS.Signals = 'SIGTERM') {
    return stop(this.child, signal);
  }
}

/**
 * The load-balancing collector: the shipped `loadbalancer.yaml`, with one override that turns
 * its DNS resolver off and lists the two tail-sampling collectors statically (one machine has
 * no DNS name with two records).
 */
export async function startLoadBalancer(
  binary: string,
  dir: string,
  tailSamplers: TailSampler[],
): Promise<{ child: ChildProcess; httpUrl: string }> {
  const [grpc, http, metrics] = [await freePort(), await freePort(), await freePort()];
  const override = `${dir}/lb-static.yaml`;
  const hostnames = tailSamplers.map((t) => `127.0.0.1:${t.port}`).join(', ');
  writeFileSync(
    override,
    [
      'exporters:',
      '  load_balancing:',
      '    resolver:',
      '      dns: { enabled: false }',
      `      static: { hostnames: [${hostnames}] }`,
      '',
    ].join('\n'),
  );
  const child = await startBinary(
    binary,
    ['--config', `${SHIPPED}/loadbalancer.yaml`, '--config', override],
    {
      name: 'load balancer',
      port: http,
      logFile: `${dir}/lb.log`,
      env: {
        CALLTRACE_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
        CALLTRACE_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
        CALLTRACE_METRICS_HOST: '127.0.0.1',
        CALLTRACE_METRICS_PORT: String(metrics),
      },
    },
  );
  return { child, httpUrl: `http://127.0.0.1:${http}` };
}

/** Runs a fleet fixture under tsx; resolves with the child once it printed `ready…`. */
export async function startFixture(
  file: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ready: string }> {
  const child = spawn(`${ROOT}node_modules/.bin/tsx`, [`${ROOT}test/fixtures/fleet/${file}`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('ready')) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before ready`)));
  });
  return { child, ready };
}

/** Runs a fixture to completion; `onLine` sees each line it prints. */
export async function runFixture(
  file: string,
  env: Record<string, string>,
  onLine: (line: string) => void = () => undefined,
): Promise<void> {
  const child = spawn(`${ROOT}node_modules/.bin/tsx`, [`${ROOT}test/fixtures/fleet/${file}`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout! }).on('line', onLine);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${file} exited with ${code}`);
}
