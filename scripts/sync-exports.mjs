// Rewrites package.json "exports" from the discovered entries. Run after adding an entry:
//   node scripts/sync-exports.mjs        (writes)
//   node scripts/sync-exports.mjs --check (exits 1 when package.json is out of date)
import { readFileSync, writeFileSync } from 'node:fs';
import { discoverEntries } from './entries.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const exportsField = {};
for (const name of Object.keys(discoverEntries())) {
  const key = name === 'index' ? '.' : `./${name}`;
  exportsField[key] = {
    import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
  };
}
exportsField['./package.json'] = './package.json';
const changed = JSON.stringify(pkg.exports) !== JSON.stringify(exportsField);
if (process.argv.includes('--check')) {
  if (changed) {
    console.error('package.json "exports" is out of date: run node scripts/sync-exports.mjs');
    process.exit(1);
  }
} else if (changed) {
  pkg.exports = exportsField;
  writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
  console.log('package.json exports updated');
}
