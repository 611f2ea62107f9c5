/**
 * The redaction pass every log line goes through before it is written anywhere. Secrets are
 * removed always; message content is removed unless debug logging is on.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Words that make a field a secret, whatever the mode. */
const SECRET_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'authorization',
  'auth',
  'bearer',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'cookie',
  'credential',
  'credentials',
  'signature',
]);

/** Words that make a field conversation content: kept only in debug mode. */
const CONTENT_WORDS = new Set([
  'content',
  'text',
  'prompt',
  'messages',
  'body',
  'query',
  'title',
  'snippet',
  'draft',
  'delta',
  'json',
  'markdown',
]);

/**
 * A last word that says the field describes a secret rather than holding it: `keyConfigured`,
 * `tokenCount`, `keyStorage`. Numbers and booleans are never treated as secrets either.
 */
const DESCRIPTIVE_SUFFIXES = new Set([
  'configured',
  'count',
  'length',
  'chars',
  'bytes',
  'storage',
  'backend',
  'source',
  'present',
  'kind',
  'type',
  'code',
  'status',
]);

/** How deep nested objects are walked; deeper values are replaced, never walked. */
const MAX_DEPTH = 6;
/** Longest string kept in a log line (debug mode keeps content up to this). */
const MAX_STRING = 4_000;

/** Splits `apiKey`, `api_key`, `X-Api-Key`, `API_KEY` into lower-case words. */
export function fieldWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** `secret` for keys and tokens, `content` for message text, `plain` otherwise. */
export function classifyField(name: string): 'secret' | 'content' | 'plain' {
  const words = fieldWords(name);
  const last = words.at(-1);
  if (last !== undefined && words.length > 1 && DESCRIPTIVE_SUFFIXES.has(last)) return 'plain';
  if (words.some((word) => SECRET_WORDS.has(word))) return 'secret';
  // `api_key` / `apikey` / `accessToken` arrive as one word sometimes.
  if (words.some((word) => /(?:api|access|refresh|session)(?:key|token)$/.test(word))) {
    return 'secret';
  }
  if (words.some((word) => CONTENT_WORDS.has(word))) return 'content';
  return 'plain';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Long runs of key-alphabet characters (no `/` or `.`, so paths and dotted names split apart);
// each run is then judged by `looksLikeKey`.
const KEY_CANDIDATE = /[A-Za-z0-9_\-+=]{24,}/g;
const KNOWN_KEY_PREFIX =
  /^(?:sk|pk|rk|ghp|gho|ghs|github_pat|xox[abpr]|glpat|hf|AKIA)[-_]?[A-Za-z0-9]/;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_QUERY = /([?&;](?:token|key|api[_-]?key|access[_-]?token|sig|signature)=)[^&\s"'#]+/gi;

/**
 * Whether a run of characters looks like an API key or token rather than a word, a date or an
 * id: a known key prefix, or mixed-case letters with digits and few separators, or long hex.
 */
export function looksLikeKey(run: string): boolean {
  if (UUID.test(run)) return false;
  if (KNOWN_KEY_PREFIX.test(run) && /[0-9]/.test(run)) return true;
  const separators = (run.match(/[-_]/g) ?? []).length;
  if (separators / run.length > 0.15) return false;
  const upper = /[A-Z]/.test(run);
  const lower = /[a-z]/.test(run);
  const digit = /[0-9]/.test(run);
  if (upper && lower && digit) return true;
  // Hex secrets (32+ digits) are usually all one case.
  return run.length >= 32 && /^[0-9a-fA-F]+$/.test(run) && digit && (upper || lower);
}

/** Removes anything in free text that looks like a key: bearer headers, `token=` params, long key-like runs. */
export function scrubSecrets(text: string): string {
  return text
    .replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_QUERY, (_match, prefix: string) => `${prefix}${REDACTED}`)
    .replace(KEY_CANDIDATE, (run) => (looksLikeKey(run) ? REDACTED : run));
}

function clip(text: string): string {
  return text.length > MAX_STRING
    ? `${text.slice(0, MAX_STRING)}… [${text.length - MAX_STRING} more chars]`
    : text;
}

function describeContent(value: unknown): string {
  if (typeof value === 'string') return `[content: ${value.length} chars]`;
  if (Array.isArray(value)) return `[content: ${value.length} items]`;
  return '[content]';
}

/**
 * Returns a copy of `value` safe to write to a log: secret-named fields become {@link REDACTED},
 * content-named fields become a length (unless `keepContent`), every string is scrubbed of
 * key-like runs and clipped, and cycles or deep nesting are cut.
 */
export function redactValue(
  value: unknown,
  options: { keepContent: boolean },
  depth = 0,
  seen: WeakSet<object> = new WeakSet(),
): unknown {
  if (typeof value === 'string') return clip(scrubSecrets(value));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      errorName: value.name,
      errorMessage: redactValue(value.message, options, depth + 1, seen),
    };
  }
  if (Array.isArray(value)) {
    return value.slice(0, 100).map((item) => redactValue(item, options, depth + 1, seen));
  }
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    out[name] = redactField(name, field, options, depth + 1, seen);
  }
  return out;
}

/** Redacts one named field (see {@link redactValue}). */
export function redactField(
  name: string,
  value: unknown,
  options: { keepContent: boolean },
  depth = 0,
  seen: WeakSet<object> = new WeakSet(),
): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  const kind = classifyField(name);
  if (kind === 'secret' && typeof value !== 'number') return REDACTED;
  if (kind === 'content' && !options.keepContent && typeof value !== 'number') {
    return describeContent(value);
  }
  return redactValue(value, options, depth, seen);
}
