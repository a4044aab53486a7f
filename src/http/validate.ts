import type { z } from 'zod';
import { invalid } from '../core/errors.js';

/**
 * Validate a request part against its schema and answer in MLflow's words, which the client and
 * MLflow's own REST tests match on: "Missing value for required parameter 'x'." and
 * "Invalid value 31 for parameter 'run_id' supplied: ...".
 */
export function validateInput<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw invalid('Invalid request');
  const path = issue.path.map(String);
  const name = formatPath(path);
  const value = valueAt(data, path);
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    throw invalid(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
  }
  if (issue.code === 'unrecognized_keys') {
    throw invalid(`Invalid request: unknown parameter '${issue.keys.join("', '")}'`);
  }
  throw invalid(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: ${issue.message}`);
}

function formatPath(path: readonly string[]): string {
  return path.reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
  for (;;) {
    const { def } = current;
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) {
      current = def.innerType as typeof current;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in as typeof current;
    } else {
      return current;
    }
  }
}

/**
 * GET parameters arrive as strings (repeated keys as arrays, booleans as True/False from the
 * Python client). Shape them by the schema before validation.
 */
export function coerceQuery(schema: z.ZodObject<z.ZodRawShape>, query: Record<string, unknown>): Record<string, unknown> {
  // Null prototype and own-property lookups: a query key like `__proto__` or `constructor` is data, not a path into Object.prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, raw] of Object.entries(query)) {
    const field = Object.hasOwn(schema.shape, key) ? (schema.shape[key] as z.ZodType | undefined) : undefined;
    if (!field) {
      out[key] = raw;
      continue;
    }
    const kind = unwrap(field).def.type;
    if (kind === 'array') out[key] = Array.isArray(raw) ? raw : [raw];
    else {
      const scalar = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      if (kind === 'number' || kind === 'int') out[key] = scalar === '' ? undefined : toNumber(scalar);
      else if (kind === 'boolean') out[key] = toBoolean(scalar);
      else out[key] = scalar;
    }
  }
  return out;
}

function toNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

function toBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return value;
}
