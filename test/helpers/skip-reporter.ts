import { existsSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { SKIPS_FILE } from './skip-file.js';

/** Reads the skips file: reasons by test file (relative path). */
export function readSkipReasons(file = SKIPS_FILE): Map<string, Set<string>> {
  const reasons = new Map<string, Set<string>>();
  if (!existsSync(file)) return reasons;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const { file: testFile, reason } = JSON.parse(line) as { file: string; reason: string };
      if (!reasons.has(testFile)) reasons.set(testFile, new Set());
      reasons.get(testFile)!.add(reason);
    } catch {
      // a torn line: ignore it
    }
  }
  return reasons;
}

/** One line: what was skipped and why, e.g. `skipped 6: test/x.test.ts (6: redis not reachable)`. */
export function skipLine(
  skippedByFile: Map<string, number>,
  reasons: Map<string, Set<string>>,
  unexplained = 'NO REASON REGISTERED',
) {
  const total = [...skippedByFile.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return 'skipped: nothing';
  const parts = [...skippedByFile].map(([file, n]) => {
    const why = [...(reasons.get(file) ?? [])].join('; ') || unexplained;
    return `${file} (${n}: ${why})`;
  });
  return `skipped ${total}: ${parts.join(', ')}`;
}

/** Vitest reporter: clears the skips file at start, prints the skip line last. */
export default class SkipReporter implements Reporter {
  #filtered = false;

  onInit(vitest: Vitest): void {
    rmSync(SKIPS_FILE, { force: true });
    // Tests left out by `-t` count as skipped too; say so instead of blaming the file.
    this.#filtered = Boolean(vitest.config.testNamePattern);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const skippedByFile = new Map<string, number>();
    for (const module of testModules) {
      const skipped = [...module.children.allTests('skipped')].length;
      if (skipped > 0) skippedByFile.set(relative(process.cwd(), module.moduleId), skipped);
    }
    // Reporters end in parallel: let the JSON reporter say where it wrote first, so ours is last.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const unexplained = this.#filtered ? 'left out by -t' : undefined;
    console.log(skipLine(skippedByFile, readSkipReasons(), unexplained));
  }
}
