import { defineConfig } from 'tsup';

// One entry per public subpath. Adapters add theirs here and in package.json "exports".
export const entries = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'node20',
  external: [
    /^@opentelemetry\//,
    /^@openai\//,
    /^@nats-io\//,
    'express',
    'hono',
    'bullmq',
    'ws',
    'pg',
  ],
});
