/** Kept in step with package.json by hand; used as the instrumentation scope version. */
export const VERSION = '0.1.0';
export const SCOPE_NAME = 'calltrace';
