/**
 * Text from the index (call ids, statuses, provider ids) is written to a terminal: control
 * characters could move the cursor, recolour, retitle the window or hide text. Each one is
 * shown escaped instead — C0, DEL, C1, and the bidirectional overrides that reorder text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** One line of output: also no newline or tab inside a value (it would fake another line). */
export const oneLine = (value: unknown): string =>
  escapeForTerminal(String(value ?? ''))
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');
