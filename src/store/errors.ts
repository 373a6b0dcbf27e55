/** A lookup or record input that cannot be used: not a number, too long, malformed id. */
export class CallIndexInputError extends Error {
  override name = 'CallIndexInputError';
}

/** The call index is configured in a way that cannot protect numbers (e.g. no key for PostgreSQL). */
export class CallIndexConfigError extends Error {
  override name = 'CallIndexConfigError';
}

/** A lookup found no call index in this database (nothing was ever recorded there). Lookups never create one. */
export class CallIndexMissingError extends Error {
  override name = 'CallIndexMissingError';
}
