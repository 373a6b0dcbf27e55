import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CallAttr, TurnAttr } from '../src/attributes.js';
import {
  DEFAULT_FIRST_AUDIO_THRESHOLD_MS,
  DEFAULT_HASH_SALT,
  DEFAULT_KEEP_RATIO,
} from '../src/sampler/index.js';

type Config = Record<string, any>;

/** The file as the Collector reads it with no CALLTRACE_* variable set: `${env:X:-d}` → d. */
const load = (file: string): Config =>
  parse(
    readFileSync(new URL(`../deploy/otel-collector/${file}`, import.meta.url), 'utf8').replace(
      /\$\{env:[A-Z0-9_]+:-([^}]*)\}/g,
      (_, fallback: string) => fallback,
    ),
    { strict: true, uniqueKeys: true },
  );

interface Policy {
  name: string;
  type: string;
  [key: string]: unknown;
}

describe('deploy/otel-collector', () => {
  const lb = load('loadbalancer.yaml');
  const ts = load('tail-sampling.yaml');
  const policies = ts.processors.tail_sampling.policies as Policy[];
  const byType = (type: string) => policies.filter((p) => p.type === type);

  it('tier 1 routes every span by trace id to the tail-sampling tier', () => {
    expect(lb.exporters.load_balancing.routing_key).toBe('traceID');
    expect(lb.exporters.load_balancing.resolver.dns.port).toBe('4317');
    expect(lb.service.pipelines.traces.exporters).toEqual(['load_balancing']);
    expect(lb.service.pipelines.traces.receivers).toEqual(['otlp']);
  });

  it('tier 2 runs tail_sampling in its trace pipeline, behind the memory limiter', () => {
    const processors = ts.service.pipelines.traces.processors as string[];
    expect(processors[0]).toBe('memory_limiter');
    expect(processors).toContain('tail_sampling');
    expect(ts.processors.tail_sampling.decision_wait).toMatch(/^\d+[sm]$/);
    // A call is decided soon after its root span (which ends last), not a fixed time after its start.
    expect(ts.processors.tail_sampling.decision_wait_after_root_received).toMatch(/^\d+s$/);
    expect(ts.processors.tail_sampling.num_traces).toBeGreaterThan(0);
  });

  it('keeps ERROR traces, like the in-process sampler', () => {
    const [errors] = byType('status_code');
    expect(errors?.status_code).toEqual({ status_codes: ['ERROR'] });
  });

  it('keeps first audio over the threshold on the call and turn keys defined in code', () => {
    const numeric = byType('numeric_attribute').map((p) => p.numeric_attribute);
    expect(numeric).toEqual([
      { key: CallAttr.firstAudioMaxMs, min_value: DEFAULT_FIRST_AUDIO_THRESHOLD_MS + 1 },
      { key: TurnAttr.firstAudioMs, min_value: DEFAULT_FIRST_AUDIO_THRESHOLD_MS + 1 },
    ]);
    const [ottl] = byType('ottl_condition');
    expect((ottl?.ottl_condition as { span: string[] }).span).toEqual([
      `attributes["${CallAttr.firstAudioMaxMs}"] > ${DEFAULT_FIRST_AUDIO_THRESHOLD_MS}`,
      `attributes["${TurnAttr.firstAudioMs}"] > ${DEFAULT_FIRST_AUDIO_THRESHOLD_MS}`,
    ]);
  });

  it('samples the rest with the same hash salt and ratio as the in-process default', () => {
    const [rest] = byType('probabilistic');
    expect(rest?.probabilistic).toEqual({
      hash_salt: DEFAULT_HASH_SALT,
      sampling_percentage: DEFAULT_KEEP_RATIO * 100,
    });
  });

  it('uses only policy types the sampler mirrors', () => {
    expect(new Set(policies.map((p) => p.type))).toEqual(
      new Set(['status_code', 'numeric_attribute', 'ottl_condition', 'probabilistic']),
    );
    expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
  });
});
