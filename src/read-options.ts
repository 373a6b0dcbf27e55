/**
 * Options as the host passed them, read once into a plain object: `null`, a number, a
 * string or a Proxy whose getters throw give `{}` (or skip the key that threw), so the code
 * after this never meets a hostile options object. Never throws.
 */
export function readOptions<T extends object>(raw: unknown, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  if (!raw || typeof raw !== 'object') return out as Partial<T>;
  for (const key of keys) {
    try {
      const value = (raw as Record<string, unknown>)[key];
      if (value !== undefined) out[key] = value;
    } catch {
      // a throwing getter: treat as unset
    }
  }
  return out as Partial<T>;
}

/**
 * A plain copy of an options object: `{}` for null, a number, a string or a Proxy that
 * throws, so a factory given garbage runs on its defaults instead of throwing. Never throws.
 */
export function plainOptions<T extends object>(raw: unknown): Partial<T> {
  if (!raw || typeof raw !== 'object') return {};
  try {
    return { ...(raw as T) };
  } catch {
    return {};
  }
}

/** Reads `obj[key]` guarded: a throwing getter or a non-object gives undefined. */
export function readField(obj: unknown, key: string): unknown {
  try {
    return obj && (typeof obj === 'object' || typeof obj === 'function')
      ? (obj as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}
