import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetNoticesForTests } from '../src/notice.js';
import { importOptionalPeer, OptionalPeerMissingError } from '../src/optional-peer.js';

/** A missing optional peer is named once on stderr, with the command that installs it. */
describe('importOptionalPeer', () => {
  afterEach(() => {
    resetNoticesForTests();
    vi.restoreAllMocks();
  });

  it('names the missing package once on stderr and throws the same line', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const name = 'calltrace-peer-that-is-not-installed';
    const load = () => import(name);
    for (let i = 0; i < 2; i++) {
      const error = await importOptionalPeer(name, 'calltrace/store (test)', load).catch((e) => e);
      expect(error).toBeInstanceOf(OptionalPeerMissingError);
      expect(error.message).toBe(`calltrace/store (test) needs ${name}: npm i ${name}`);
    }
    const lines = stderr.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => l.includes(name))).toEqual([
      `calltrace: calltrace/store (test) needs ${name}: npm i ${name}\n`,
    ]);
  });

  it('rethrows other loading errors unchanged', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(
      importOptionalPeer('pg', 'calltrace/store', () => Promise.reject(broken)),
    ).rejects.toBe(broken);
  });

  it('returns the module when it is installed', async () => {
    const mod = await importOptionalPeer('pg', 'calltrace/store', () => import('pg'));
    expect(typeof mod.default.Pool).toBe('function');
  });
});
