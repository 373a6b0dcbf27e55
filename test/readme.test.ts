import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with `node scripts/readme-snippets.mjs`
import { OUT, tsBlocks, writeSnippets } from '../scripts/readme-snippets.mjs';
import { recordSkip } from './helpers/skip.js';

/**
 * README snippets are complete as pasted: every ```ts block is written to its own module under
 * test/generated/readme/ and typechecked against the sources. The quickstart block is the
 * file examples/quickstart/quickstart.ts, character for character.
 */
interface Snippet {
  section: string;
  line: number;
  code: string;
  file: string;
}

/**
 * Sections this test holds to "complete as pasted" without exception. A snippet elsewhere that
 * does not compile yet is reported as a skip naming its line and section (debt the skip line
 * shows on every run), not hidden, and not a failure for the engineers writing those sections
 * in parallel; move a section here once its snippets are whole.
 */
const STRICT_SECTIONS = new Set(['Quickstart (5 minutes)', "Seeing calltrace's own warnings"]);

const snippets: Snippet[] = writeSnippets();
let errorsByFile: Map<string, string[]> | undefined;
function typecheckAll(): Map<string, string[]> {
  if (errorsByFile) return errorsByFile;
  const r = spawnSync(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      '-p',
      `${OUT}/tsconfig.json`,
      '--noEmit',
      '--pretty',
      'false',
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  // A run that checked nothing (no inputs, bad config) must not pass every snippet.
  if (!/^test\/generated\/readme\//m.test(r.stdout) && r.status !== 0) {
    throw new Error(`tsc failed without snippet errors:\n${r.stdout}${r.stderr}`);
  }
  errorsByFile = new Map();
  for (const line of r.stdout.split('\n')) {
    const m = /^test\/generated\/readme\/([^(]+)\(/.exec(line);
    if (m) errorsByFile.set(m[1]!, [...(errorsByFile.get(m[1]!) ?? []), line]);
  }
  return errorsByFile;
}

describe('README snippets', () => {
  it('the quickstart block is examples/quickstart/quickstart.ts', () => {
    const quickstart = readFileSync('examples/quickstart/quickstart.ts', 'utf8');
    const blocks = tsBlocks(readFileSync('README.md', 'utf8')) as Snippet[];
    expect(blocks.filter((b) => b.section === 'Quickstart (5 minutes)').map((b) => b.code)).toEqual(
      [quickstart],
    );
  });

  for (const s of snippets) {
    it(`README line ${s.line} (${s.section}) typechecks as pasted`, { timeout: 600_000 }, (ctx) => {
      const errors = typecheckAll().get(s.file) ?? [];
      if (errors.length > 0 && !STRICT_SECTIONS.has(s.section)) {
        recordSkip(`README snippet at line ${s.line} (${s.section}) is not complete as pasted`);
        ctx.skip();
      }
      expect(errors).toEqual([]);
    });
  }

  it('the strict sections have snippets', () => {
    expect(snippets.filter((s) => STRICT_SECTIONS.has(s.section)).length).toBeGreaterThanOrEqual(2);
  });
});
