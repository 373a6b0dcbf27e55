/**
 * A small benchmark harness: every figure is a ratio against a baseline measured in the same
 * run, interleaved round by round so drift (CPU frequency, GC) hits both sides alike.
 */

export interface Case {
  name: string;
  /** One operation; may be async. */
  fn: () => unknown | Promise<unknown>;
}

export interface Result {
  name: string;
  /** Median over rounds, nanoseconds per operation. */
  nsPerOp: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function timeOnce(fn: Case['fn'], iterations: number): Promise<number> {
  gc?.(); // each batch starts from a clean heap (bench/index.ts runs with --expose-gc)
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const r = fn();
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the cases interleaved for `rounds` rounds after a warm-up; returns medians. */
export async function measure(
  cases: Case[],
  { iterations = 10_000, rounds = 7, warmup = 2 } = {},
): Promise<Result[]> {
  const samples = cases.map(() => [] as number[]);
  for (let round = 0; round < warmup + rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const ns = await timeOnce(c.fn, iterations);
      if (round >= warmup) samples[i]!.push(ns);
    }
  }
  return cases.map((c, i) => ({ name: c.name, nsPerOp: median(samples[i]!) }));
}

export function formatNs(ns: number): string {
  return ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(0)} ns`;
}

/** Prints one comparison line: `label: a vs b = ratio (target)`. Returns the ratio. */
export function report(
  label: string,
  subject: Result,
  baseline: Result,
  target?: { max?: number; min?: number },
): number {
  const ratio = subject.nsPerOp / baseline.nsPerOp;
  const verdict = target
    ? (target.max !== undefined && ratio > target.max) ||
      (target.min !== undefined && ratio < target.min)
      ? '  MISSED'
      : '  ok'
    : '';
  const goal =
    target?.max !== undefined
      ? ` (target ≤ ${target.max}x)`
      : target?.min !== undefined
        ? ` (target ≥ ${target.min}x)`
        : '';
  console.log(
    `${label}: ${subject.name} ${formatNs(subject.nsPerOp)}/op vs ${baseline.name} ${formatNs(baseline.nsPerOp)}/op = ${ratio.toFixed(3)}x${goal}${verdict}`,
  );
  return ratio;
}
