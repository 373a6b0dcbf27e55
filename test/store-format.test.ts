import { describe, expect, it } from 'vitest';
import { CallIndexInputError, toE164, traceUrl, type IndexedCall } from '../src/store/index.js';

/** Number normalisation and trace links: pure functions, the README's examples included. */
describe('toE164', () => {
  it.each([
    ['+1 (555) 010-0100', '+15550100100'],
    ['(555) 010-0100', '+15550100100'],
    ['1-555-010-0100', '+15550100100'],
    ['tel:+1.555.010.0100', '+15550100100'],
    ['011 44 20 7946 0000', '+442079460000'],
    ['0044 20 7946 0000', '+442079460000'],
    ['+44 (0)20 7946 0000', '+442079460000'],
  ])('%s → %s (NANP default)', (raw, e164) => expect(toE164(raw)).toBe(e164));

  it('reads national numbers in the configured country, dropping the trunk 0', () => {
    expect(toE164('020 7946 0000', '44')).toBe('+442079460000');
    expect(toE164('030 123456', '49')).toBe('+4930123456');
  });

  it.each([
    '',
    'abc',
    '555-CALL-NOW',
    '+1 555 010 0100 ext 2',
    '12345',
    '+0 555 010 0100',
    '+1234567890123456',
    '5'.repeat(65),
    "1' OR '1'='1",
  ])('refuses %j with a CallIndexInputError', (raw) =>
    expect(() => toE164(raw)).toThrow(CallIndexInputError),
  );
});

describe('traceUrl', () => {
  const call = {
    callId: 'call a/1',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    startedAt: new Date(1_795_800_000_123),
    endedAt: new Date(1_795_800_090_456),
  } as Omit<IndexedCall, 'traceUrl'>;

  it('fills Jaeger, Tempo and Honeycomb templates, URL-encoding values', () => {
    expect(traceUrl('http://localhost:16686/trace/{traceId}', call)).toBe(
      'http://localhost:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(
      traceUrl(
        'https://g/explore?panes=%7B%22query%22:%22{traceId}%22,%22from%22:%22{startMs}%22,%22to%22:%22{endMs}%22%7D',
        call,
      ),
    ).toBe(
      'https://g/explore?panes=%7B%22query%22:%224bf92f3577b34da6a3ce929d0e0e4736%22,%22from%22:%221795800000123%22,%22to%22:%221795800090456%22%7D',
    );
    expect(
      traceUrl(
        'https://ui.honeycomb.io/t/environments/e/datasets/d/trace?trace_id={traceId}&trace_start_ts={startSec}&trace_end_ts={endSec}&c={callId}',
        call,
      ),
    ).toBe(
      'https://ui.honeycomb.io/t/environments/e/datasets/d/trace?trace_id=4bf92f3577b34da6a3ce929d0e0e4736&trace_start_ts=1795800000&trace_end_ts=1795800091&c=call%20a%2F1',
    );
  });

  it('gives no link without a template or a trace id', () => {
    expect(traceUrl(undefined, call)).toBeNull();
    expect(traceUrl('http://x/{traceId}', { ...call, traceId: null })).toBeNull();
  });
});
