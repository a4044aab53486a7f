/**
 * MLflow model signatures, read from the JSON strings `MLmodel` keeps under `signature.inputs` and
 * `signature.outputs` (mlflow/types/schema.py: `ColSpec.to_dict`, `TensorSpec.to_dict`).
 * A schema is either all column specs (`{"type": "double", "name": "x", "required": true}`) or all
 * tensor specs (`{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}`).
 */
import { invalid } from '../core/errors.js';

/** MLflow's scalar column types (mlflow.types.DataType). */
export type ColumnType = 'boolean' | 'integer' | 'long' | 'float' | 'double' | 'string' | 'binary' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime'];

/** One column of a column-based schema; `type` is a scalar type or, for array/object/map/Any, its JSON. */
export interface ColumnSpec {
  readonly kind: 'column';
  readonly name: string | null;
  readonly type: ColumnType | { readonly other: string };
  readonly required: boolean;
}

/** One tensor of a tensor-based schema: a numpy dtype and a shape where -1 means any size. */
export interface TensorSpec {
  readonly kind: 'tensor';
  readonly name: string | null;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** An input or output schema. */
export type Schema = { readonly kind: 'columns'; readonly columns: readonly ColumnSpec[] } | { readonly kind: 'tensors'; readonly tensors: readonly TensorSpec[] };

/** A model signature; either side may be missing. */
export interface Signature {
  readonly inputs: Schema | null;
  readonly outputs: Schema | null;
}

/** Parse MLmodel's `signature` block (its values are JSON strings, or null). */
export function parseSignature(block: unknown): Signature {
  if (block === null || block === undefined) return { inputs: null, outputs: null };
  if (typeof block !== 'object' || Array.isArray(block)) throw invalid('MLmodel signature must be a mapping with inputs and outputs');
  const record = block as Record<string, unknown>;
  return { inputs: parseSchemaText(record['inputs'], 'inputs'), outputs: parseSchemaText(record['outputs'], 'outputs') };
}

/** Parse one side of a signature from its JSON text. */
export function parseSchemaText(text: unknown, side: string): Schema | null {
  if (text === null || text === undefined || text === '') return null;
  if (typeof text !== 'string') throw invalid(`MLmodel signature.${side} must be a JSON string`);
  let specs: unknown;
  try {
    specs = JSON.parse(text);
  } catch (error) {
    throw invalid(`MLmodel signature.${side} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(specs)) throw invalid(`MLmodel signature.${side} must be a JSON list of column or tensor specs`);
  const parsed = specs.map((spec, i) => parseSpec(spec, `${side}[${i}]`));
  if (parsed.length === 0) return null;
  if (parsed.every((s) => s.kind === 'tensor')) return { kind: 'tensors', tensors: parsed as TensorSpec[] };
  if (parsed.every((s) => s.kind === 'column')) return { kind: 'columns', columns: parsed as ColumnSpec[] };
  throw invalid(`MLmodel signature.${side} mixes column and tensor specs, which MLflow does not allow`);
}

function parseSpec(spec: unknown, where: string): ColumnSpec | TensorSpec {
  if (typeof spec !== 'object' || spec === null) throw invalid(`MLmodel signature ${where} must be an object`);
  const s = spec as Record<string, unknown>;
  const name = typeof s['name'] === 'string' ? s['name'] : null;
  if (s['type'] === 'tensor') {
    const t = s['tensor-spec'] as Record<string, unknown> | undefined;
    if (!t || typeof t['dtype'] !== 'string' || !Array.isArray(t['shape'])) throw invalid(`MLmodel signature ${where}: a tensor spec needs tensor-spec.dtype and tensor-spec.shape`);
    return { kind: 'tensor', name, dtype: normaliseDtype(t['dtype']), shape: t['shape'].map(Number) };
  }
  if (typeof s['type'] !== 'string') throw invalid(`MLmodel signature ${where} has no type`);
  const type = (COLUMN_TYPES as readonly string[]).includes(s['type']) ? (s['type'] as ColumnType) : { other: describeOther(s) };
  return { kind: 'column', name, type, required: s['required'] !== false };
}

function describeOther(spec: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(spec).filter(([key]) => key !== 'name' && key !== 'required'));
  return rest['type'] === 'array' || rest['type'] === 'object' || rest['type'] === 'map' ? JSON.stringify(rest) : String(rest['type']);
}

/** numpy spells some dtypes several ways; keep one name per kind. */
function normaliseDtype(dtype: string): string {
  const aliases: Record<string, string> = { float: 'float64', double: 'float64', int: 'int64', bool_: 'bool', object: 'str', '<U0': 'str', str_: 'str', bytes_: 'bytes' };
  return aliases[dtype] ?? (/^<U\d+$/.test(dtype) ? 'str' : dtype);
}

/** A column type or tensor dtype as text, for messages and diffs. */
export function describeType(spec: ColumnSpec | TensorSpec): string {
  if (spec.kind === 'tensor') return `tensor ${spec.dtype} [${spec.shape.join(', ')}]`;
  return typeof spec.type === 'string' ? spec.type : spec.type.other;
}

/** The specs of a schema, whichever kind. */
export function specsOf(schema: Schema | null): readonly (ColumnSpec | TensorSpec)[] {
  if (!schema) return [];
  return schema.kind === 'columns' ? schema.columns : schema.tensors;
}
