/**
 * `error.type` for every span calltrace ends with an error, derived one way everywhere: an
 * Error's name (or its class when the name is plain `Error`), an HTTP status, or a short code-like string (`'timeout'`,
 * `'no-answer'`). Anything else — a sentence that may quote personal data, an object, a
 * hostile value whose `name` getter throws — is `_OTHER`, as OpenTelemetry prescribes.
 */
const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

export function errorType(error: unknown): string {
  try {
    if (typeof error === 'number' && Number.isInteger(error)) return String(error);
    if (typeof error === 'string') return CODE.test(error) ? error : '_OTHER';
    if (error instanceof Error) {
      // `class OrderNotFound extends Error {}` keeps name 'Error': its class says more.
      const name = error.name === 'Error' ? error.constructor?.name : error.name;
      return typeof name === 'string' && CODE.test(name) ? name : 'Error';
    }
  } catch {
    // a throwing getter: fall through
  }
  return '_OTHER';
}

/** The error's message, for span status — only where content capture is on. Never throws. */
export function errorMessage(error: unknown): string | undefined {
  try {
    if (error instanceof Error) return String(error.message).slice(0, 1024);
    return typeof error === 'string' ? error.slice(0, 1024) : undefined;
  } catch {
    return undefined;
  }
}
