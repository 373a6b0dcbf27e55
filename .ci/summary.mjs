// Prints what the test runs did, ending with ONE plain line CI reads:
//   "N passed, N failed, N skipped"  (summed over every run given)
// Usage: node .ci/summary.mjs [label=results.json[,skips.jsonl]] ...
//   default: one run, .vitest-results.json and .vitest-skips.jsonl
// Before it: one line per run (counts and time) and what each run skipped and why.
import { existsSync, readFileSync } from 'node:fs';

const runs = (process.argv.length > 2 ? process.argv.slice(2) : ['tests=.vitest-results.json']).map(
  (arg) => {
    const [label, files = ''] = arg.includes('=') ? arg.split('=') : ['tests', arg];
    const [results, skips = results.replace(/results([^/]*)\.json$/, 'skips$1.jsonl')] =
      files.split(',');
    return { label, results, skips };
  },
);

function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { error: error.message };
  }
}

function readReasons(file) {
  const reasons = new Map();
  if (!existsSync(file)) return reasons;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      const { file: testFile, reason } = JSON.parse(line);
      reasons.set(testFile, new Set([...(reasons.get(testFile) ?? []), reason]));
    } catch {
      // blank or torn line
    }
  }
  return reasons;
}

const total = { passed: 0, failed: 0, skipped: 0 };
for (const { label, results, skips } of runs) {
  const report = readReport(results);
  if (report.error) {
    console.log(
      `run ${label}: no test report at ${results} (${report.error}), counted as 1 failed`,
    );
    total.failed += 1;
    continue;
  }
  const files = report.testResults ?? [];
  const passed = report.numPassedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed before running any test (an import error) has no assertion results.
  const brokenFiles = files.filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  const failed = (report.numFailedTests ?? 0) + brokenFiles;
  const end = Math.max(report.startTime ?? 0, ...files.map((f) => f.endTime ?? 0));
  const seconds = report.startTime ? Math.round((end - report.startTime) / 1000) : '?';
  console.log(
    `run ${label}: ${passed} passed, ${failed} failed, ${skipped} skipped in ${seconds} s`,
  );
  const reasons = readReasons(skips);
  for (const f of files) {
    const n = (f.assertionResults ?? []).filter((a) =>
      ['pending', 'skipped', 'todo'].includes(a.status),
    ).length;
    if (n === 0) continue;
    const file = f.name.startsWith(process.cwd()) ? f.name.slice(process.cwd().length + 1) : f.name;
    const why = [...(reasons.get(file) ?? [])].join('; ') || 'NO REASON REGISTERED';
    console.log(`  ${label} skipped ${n} in ${file}: ${why}`);
  }
  total.passed += passed;
  total.failed += failed;
  total.skipped += skipped;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
