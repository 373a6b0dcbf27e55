import { defineConfig } from 'tsup';
// @ts-expect-error plain .mjs helper shared with scripts/sync-exports.mjs
import { BIN_ENTRIES, discoverEntries } from './scripts/entries.mjs';

export default defineConfig({
  entry: { ...discoverEntries(), ...BIN_ENTRIES } as Record<string, string>,
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'node20',
  // Peers and optional framework peers stay imports; nothing of theirs is bundled.
  external: [
    /^@opentelemetry\//,
    /^@openai\//,
    /^@nats-io\//,
    /^@hono\//,
    'express',
    'hono',
    'bullmq',
    'ioredis',
    'ws',
    'pg',
    /^@electric-sql\//,
    'zod',
  ],
});
