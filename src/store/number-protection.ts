import { createHmac } from 'node:crypto';
import { noticeOnce } from '../notice.js';
import { CallIndexConfigError } from './errors.js';

/** The key used when none is configured and the index is embedded. Not a secret: development only. */
export const DEV_INDEX_KEY = 'calltrace-development-key-not-secret';
/** Environment variable read for the key when `hashKey` is not given. */
export const INDEX_KEY_ENV = 'CALLTRACE_INDEX_KEY';
const MIN_KEY_LENGTH = 16;
/** Recent hashes kept: the callee is usually one of a few lines of ours, hashed on every call. */
const HASH_CACHE_SIZE = 1024;

/** How one number is kept at rest: a keyed hash to find it and its last four digits to show. */
export interface ProtectedNumber {
  hash: string;
  last4: string;
}

/**
 * Numbers are stored as HMAC-SHA256(key, E.164) plus the last four digits: equal numbers give
 * equal hashes (so lookup is an index seek), and without the key the hash cannot be tested
 * against the small space of phone numbers.
 */
export class NumberProtector {
  readonly #key: string;
  readonly #cache = new Map<string, string>();
  readonly usingDevKey: boolean;

  constructor(key: string | undefined, allowDevKey: boolean) {
    if (key === undefined || key === '') {
      if (!allowDevKey)
        throw new CallIndexConfigError(
          `call index: no key to protect phone numbers; set hashKey or ${INDEX_KEY_ENV}`,
        );
      noticeOnce(
        'call-index-dev-key',
        `call index: no ${INDEX_KEY_ENV} set, so phone numbers are hashed with the public development key — fine on a laptop, not for real numbers`,
      );
      key = DEV_INDEX_KEY;
    }
    // A key of spaces (or padded to length) is no secret: count what is left without whitespace.
    if (typeof key !== 'string' || key.replace(/\s/g, '').length < MIN_KEY_LENGTH)
      throw new CallIndexConfigError(
        `call index: key shorter than ${MIN_KEY_LENGTH} characters (whitespace not counted)`,
      );
    this.#key = key;
    this.usingDevKey = key === DEV_INDEX_KEY;
  }

  protect(e164: string): ProtectedNumber {
    return { hash: this.hash(e164), last4: e164.slice(-4) };
  }

  hash(e164: string): string {
    let hash = this.#cache.get(e164);
    if (hash === undefined) {
      hash = createHmac('sha256', this.#key).update(e164).digest('hex');
      if (this.#cache.size >= HASH_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(e164, hash);
    }
    return hash;
  }
}
