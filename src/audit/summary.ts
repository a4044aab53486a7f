/** What an audit entry says about a change: the validated input, secrets removed, cut to a few KB. */

/** Longest summary kept, in UTF-16 code units (about 4 KB of JSON). */
export const MAX_SUMMARY_LENGTH = 4096;

// Field names that hold or carry credentials: their values never reach the log.
const SECRET_NAME = /pass(word|wd|phrase)?|secret|token(?!_id|_name|s$)|authori[sz]ation|credential|api[_-]?key|private[_-]?key|cookie|csrf|signing[_-]?key|^key_material$/i;

/** Whether a field of this name must be redacted. */
export function isSecretField(name: string): boolean {
  return SECRET_NAME.test(name);
}

const REDACTED = '[redacted]';

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 12) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out[key] = isSecretField(key) && v !== undefined && v !== null ? REDACTED : redactValue(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A deep copy of `value` with every secret-named field replaced by "[redacted]". */
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, 0);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || (value !== null && typeof value === 'object' && Object.keys(value).length === 0);
}

/** The JSON summary of a request's validated inputs: empty parts left out, secrets redacted, truncated. */
export function summarizeChange(inputs: Readonly<Record<string, unknown>>): string {
  const kept: Record<string, unknown> = {};
  for (const [part, value] of Object.entries(inputs)) if (!isEmpty(value)) kept[part] = value;
  const text = JSON.stringify(redactSecrets(kept)) ?? '{}';
  if (text.length <= MAX_SUMMARY_LENGTH) return text;
  return `${text.slice(0, MAX_SUMMARY_LENGTH)}…[truncated ${text.length - MAX_SUMMARY_LENGTH} characters]`;
}
