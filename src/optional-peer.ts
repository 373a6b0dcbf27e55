import { noticeOnce } from './notice.js';

/** An optional peer that a feature in use needs is not installed. */
export class OptionalPeerMissingError extends Error {
  override name = 'OptionalPeerMissingError';
  constructor(
    readonly peer: string,
    message: string,
  ) {
    super(message);
  }
}

function isNotFound(error: unknown, peer: string): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    (e.message ?? '').includes(`'${peer}`)
  );
}

/**
 * Loads an optional peer on first use. `load` must be a literal `() => import('name')` so the
 * bundler keeps it external. When the package is missing, prints one line naming what to
 * install (`noticeOnce`: once per process, to stderr) and throws `OptionalPeerMissingError`
 * with the same line; any other loading error is rethrown as is.
 */
export async function importOptionalPeer<T>(
  peer: string,
  purpose: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isNotFound(error, peer)) throw error;
    const message = `${purpose} needs ${peer}: npm i ${peer}`;
    noticeOnce(`optional-peer:${peer}`, message);
    throw new OptionalPeerMissingError(peer, message);
  }
}
