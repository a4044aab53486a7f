/**
 * JSON as Python's `json.dumps` writes it: standard JSON plus the bare tokens NaN, Infinity and
 * -Infinity, which pandas and numpy payloads contain and JSON.parse refuses.
 */
import { CairnError } from '../core/errors.js';

const SENTINEL = '\u0000cairn-nonfinite:';

/** Parse a request body; a syntax error is a 400 naming where the JSON broke. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const rewritten = rewriteNonFinite(text);
    if (rewritten !== null) {
      try {
        return JSON.parse(rewritten, reviveNonFinite);
      } catch {
        // Fall through: report the original error, which points at the real problem.
      }
    }
    throw new CairnError('BAD_REQUEST', `Failed to parse input from JSON. Ensure that input is a valid JSON formatted string. Error: ${(error as Error).message}`);
  }
}

/** Replace NaN / Infinity / -Infinity outside strings by sentinel strings; null if there were none. */
function rewriteNonFinite(text: string): string | null {
  let out = '';
  let changed = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const token = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : null;
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
      changed = true;
    } else out += c;
  }
  return changed ? out : null;
}

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(SENTINEL)) {
    const token = value.slice(SENTINEL.length);
    return token === 'NaN' ? NaN : token === 'Infinity' ? Infinity : -Infinity;
  }
  return value;
}
