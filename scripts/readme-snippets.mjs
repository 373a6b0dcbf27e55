// Writes every ```ts block of README.md to test/generated/readme/NN-<section>.ts (each a
// module) with a tsconfig that typechecks them against the sources, so that a README snippet
// that is not complete as pasted fails `tsc`. Used by test/readme.test.ts.
//   node scripts/readme-snippets.mjs   → prints the folder
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export const OUT = 'test/generated/readme';

/** The ```ts blocks of a markdown text, with the heading each sits under. */
export function tsBlocks(markdown) {
  const blocks = [];
  let section = 'top';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,3} (.*)/.exec(lines[i]);
    if (heading) section = heading[1];
    if (lines[i].trim() !== '```ts') continue;
    const start = ++i;
    while (i < lines.length && lines[i].trim() !== '```') i++;
    blocks.push({ section, line: start, code: lines.slice(start, i).join('\n') + '\n' });
  }
  return blocks;
}

export function writeSnippets(readme = 'README.md') {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const files = tsBlocks(readFileSync(readme, 'utf8')).map((b, n) => {
    const slug = b.section
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40);
    const file = `${String(n + 1).padStart(2, '0')}-${slug}.ts`;
    writeFileSync(
      `${OUT}/${file}`,
      `// README.md line ${b.line} (${b.section})\n${b.code}export {};\n`,
    );
    return { ...b, file };
  });
  writeFileSync(
    `${OUT}/tsconfig.json`,
    JSON.stringify({ extends: '../../../tsconfig.json', include: ['*.ts'], exclude: [] }, null, 2),
  );
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of writeSnippets()) console.log(`${OUT}/${f.file}`);
}
