/**
 * Nested JSON arrays as flat tensors: shape discovery, checks against a signature's tensor spec,
 * and conversion to the element type an ONNX input wants.
 */
import { CairnError } from '../core/errors.js';
import type { TensorSpec } from './signature.js';

/** A tensor ready for the runtime: ONNX element type, flat data in row-major order, and dims. */
export interface FeedTensor {
  readonly type: string;
  readonly data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];
  readonly dims: readonly number[];
}

/** A scalar cell after decoding: null is a missing value. */
export type Cell = number | boolean | string | null;

const bad = (message: string): CairnError => new CairnError('BAD_REQUEST', message);

/** Flatten nested arrays into cells plus dims; ragged arrays are refused. */
export function flattenNested(value: unknown, what: string): { flat: unknown[]; dims: number[] } {
  const dims: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) dims.push(v.length);
  const flat: unknown[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === dims.length) {
      if (Array.isArray(v)) throw bad(`${what} is ragged: it nests deeper in some places than others.`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== dims[depth]) throw bad(`${what} is ragged: every row at depth ${depth} must have ${dims[depth]} items.`);
    for (const item of v) walk(item, depth + 1);
  };
  walk(value, 0);
  return { flat, dims };
}

/** Check dims against a spec's shape (-1 = any size). */
export function checkShape(spec: TensorSpec, dims: readonly number[], what: string): void {
  const ok = spec.shape.length === dims.length && spec.shape.every((d, i) => d === -1 || d === dims[i]);
  if (!ok) throw bad(`Shape of input ${what} [${dims.join(', ')}] does not match the expected shape [${spec.shape.join(', ')}] from the model signature.`);
}

/** What kind of element a numpy dtype or an ONNX element type holds. */
export function elementKind(dtype: string): 'float' | 'int' | 'bool' | 'string' | 'other' {
  if (/^(float|double)/.test(dtype) || dtype === 'float16') return 'float';
  if (/^u?int\d+$/.test(dtype)) return 'int';
  if (dtype === 'bool') return 'bool';
  if (dtype === 'str' || dtype === 'string') return 'string';
  return 'other';
}

/** Check each cell against a numpy dtype from the signature; the message names the input and position. */
export function checkCells(cells: readonly unknown[], dtype: string, what: string): Cell[] {
  const kind = elementKind(dtype);
  return cells.map((v, i) => {
    const at = (): string => `${what} (element ${i})`;
    switch (kind) {
      case 'float':
        if (typeof v === 'number') return v;
        if (v === null || v === undefined) throw bad(`${at()} is null, but the signature's ${dtype} tensor has no missing values; send NaN to mean "not a number".`);
        break;
      case 'int':
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'number' && Number.isNaN(v)) throw bad(`${at()} is NaN, which an ${dtype} tensor cannot hold.`);
        break;
      case 'bool':
        if (typeof v === 'boolean') return v;
        break;
      case 'string':
        if (typeof v === 'string') return v;
        break;
      case 'other':
        throw bad(`${what} has dtype ${dtype}, which cairn's ONNX runtime cannot feed.`);
    }
    throw bad(`${at()} is ${JSON.stringify(v) ?? String(v)}, which is not a valid ${dtype}.`);
  });
}

/** Build an ONNX tensor of the given element type from checked cells (float64 input feeds float32 models, as MLflow casts). */
export function toFeedTensor(type: string, cells: readonly Cell[], dims: readonly number[], what: string): FeedTensor {
  const kind = elementKind(type);
  const numbers = (): number[] =>
    cells.map((c, i) => {
      if (typeof c === 'number') return c;
      if (typeof c === 'boolean') return c ? 1 : 0;
      if (c === null) return NaN;
      throw bad(`${what} (element ${i}) is the text ${JSON.stringify(c)}, but the model's input is ${type}.`);
    });
  if (kind === 'float') {
    if (type === 'float32') return { type, data: Float32Array.from(numbers()), dims };
    if (type === 'float64') return { type, data: Float64Array.from(numbers()), dims };
  }
  if (kind === 'int') {
    const values = numbers();
    values.forEach((v, i) => {
      if (!Number.isInteger(v)) throw bad(`${what} (element ${i}) is ${Number.isNaN(v) ? 'missing or NaN' : v}, but the model's input is ${type} and needs whole numbers.`);
    });
    if (type === 'int64') return { type, data: BigInt64Array.from(values, (v) => BigInt(v)), dims };
    if (type === 'int32') {
      values.forEach((v, i) => {
        if (v > 2147483647 || v < -2147483648) throw bad(`${what} (element ${i}) is ${v}, outside the int32 range of the model's input.`);
      });
      return { type, data: Int32Array.from(values), dims };
    }
  }
  if (kind === 'bool') return { type, data: Uint8Array.from(numbers(), (v) => (v ? 1 : 0)), dims };
  if (kind === 'string') return { type, data: cells.map((c) => (c === null ? '' : String(c))), dims };
  throw bad(`The model's input ${what} has element type ${type}, which cairn cannot feed from JSON or CSV.`);
}
