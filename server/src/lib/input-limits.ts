/**
 * Caps for untrusted strings (GraphQL arguments, /api/auth bodies). docs/security.md lists them.
 * A field with no cap of its own gets `MAX_STRING_ARGUMENT`.
 */
export const MAX_STRING_ARGUMENT = 1000;

/** Account fields: the same bounds in GraphQL mutations and on /api/auth. */
export const ACCOUNT_FIELD_LIMITS = {
  /** RFC 5321: a forward path holds at most 254 characters of address. */
  email: 254,
  name: 200,
  image: 2048,
} as const;

/** EV card labels ("Work car", "Anna's card"). */
export const MAX_CARD_LABEL_LENGTH = 80;

/** Search arguments (drivers, cards, sessions, audit actor). */
export const MAX_SEARCH_LENGTH = 100;

export interface HostileString {
  field: string;
  message: string;
}

/**
 * The first string in `value` (walked deeply; object keys name the field) that holds a NUL byte
 * or is longer than its cap (`capFor(field)`, else `MAX_STRING_ARGUMENT`); null when all are fine.
 */
export function findHostileString(
  value: unknown,
  capFor: (field: string) => number | undefined = () => undefined,
  field = 'input',
  depth = 0,
): HostileString | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field, message: `"${field}" must not contain NUL characters.` };
    const cap = capFor(field) ?? MAX_STRING_ARGUMENT;
    if (value.length > cap)
      return { field, message: `"${field}" is too long (at most ${cap.toLocaleString('en')} characters).` };
    return null;
  }
  // Deeper than any input we accept: refuse rather than walk an attacker's structure.
  if (depth > 20) return { field, message: `"${field}" is nested too deeply.` };
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findHostileString(item, capFor, field, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const found = findHostileString(inner, capFor, key, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** A profile picture address we are willing to render: absolute http(s), no credentials. */
export function isSafeImageUrl(value: string): boolean {
  if (value.length > ACCOUNT_FIELD_LIMITS.image) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
}

/** Escapes LIKE/ILIKE wildcards (`%`, `_`) and the escape character so a search matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
