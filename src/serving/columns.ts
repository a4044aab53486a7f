/**
 * A table checked against a column-based signature, following MLflow's schema enforcement
 * (mlflow/models/utils.py `_enforce_schema`): missing required columns are refused, extra columns
 * are ignored, unnamed input is matched by position, and each value must fit its column type.
 * cairn adds one rule MLflow leaves to pandas: a required column may not hold null or NaN;
 * an optional column (`required: false`) may be absent or hold missing values.
 */
import { CairnError } from '../core/errors.js';
import type { FrameInput } from './decode.js';
import type { ColumnSpec, ColumnType } from './signature.js';
import type { Cell } from './tensors.js';

/** A checked column: the signature's type and one cell per row (null = missing). */
export interface TypedColumn {
  readonly spec: ColumnSpec & { readonly name: string };
  readonly present: boolean;
  readonly values: readonly Cell[];
}

/** A table that passed the signature: row count and the signature's columns in signature order. */
export interface CheckedFrame {
  readonly rows: number;
  readonly columns: readonly TypedColumn[];
}

const bad = (message: string): CairnError => new CairnError('BAD_REQUEST', message);

/** Check a frame against column specs; every message names the column at fault. */
export function enforceColumns(frame: FrameInput, specs: readonly ColumnSpec[]): CheckedFrame {
  const named = specs.map((s, i) => ({ ...s, name: s.name ?? String(i) }));
  const names = frame.columns ?? positionalNames(frame, named);
  const index = new Map(names.map((n, i) => [n, i]));
  const missing = named.filter((s) => s.required && !index.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    const extra = names.filter((n) => !named.some((s) => s.name === n));
    throw bad(`Model is missing inputs ${pyList(missing)}.${extra.length > 0 ? ` Note that there were extra inputs: ${pyList(extra)}.` : ''}`);
  }
  const columns = named.map((spec): TypedColumn => {
    const at = index.get(spec.name);
    if (at === undefined) return { spec, present: false, values: frame.rows.map(() => null) };
    const values = frame.rows.map((row, r) => checkValue(frame.fromCsv ? fromCsvText(row[at], spec.type) : row[at], spec, r));
    return { spec, present: true, values };
  });
  return { rows: frame.rows.length, columns };
}

function positionalNames(frame: FrameInput, specs: readonly { name: string }[]): string[] {
  const width = frame.rows[0]?.length ?? specs.length;
  if (width !== specs.length) {
    throw bad(`The input has ${width} unnamed columns but the model signature has ${specs.length} (${pyList(specs.map((s) => s.name))}); name the columns or send them in signature order.`);
  }
  return specs.map((s) => s.name);
}

const pyList = (items: readonly string[]): string => `[${items.map((i) => `'${i}'`).join(', ')}]`;

function fromCsvText(cell: unknown, type: ColumnSpec['type']): unknown {
  if (typeof cell !== 'string') return cell;
  if (type === 'string' || type === 'binary' || type === 'datetime') return cell;
  if (cell === '' || cell === 'NaN' || cell === 'nan') return null;
  if (type === 'boolean') return cell === 'True' || cell === 'true' ? true : cell === 'False' || cell === 'false' ? false : cell;
  const n = Number(cell);
  return cell.trim() !== '' && !Number.isNaN(n) ? n : cell;
}

function checkValue(value: unknown, spec: ColumnSpec & { name: string }, row: number): Cell {
  const type = spec.type;
  if (typeof type !== 'string') throw bad(`Column '${spec.name}' has type ${type.other} in the model signature; cairn serves scalar columns only.`);
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
    if (spec.required) throw bad(`Column '${spec.name}' row ${row} is missing (null or NaN), but the model signature declares it required.`);
    if (type === 'float' || type === 'double' || type === 'string') return null;
    throw bad(`Column '${spec.name}' row ${row} is missing (null or NaN), which a ${type} column cannot hold.`);
  }
  if (fits(value, type)) return value as Cell;
  throw bad(`Incompatible input types for column '${spec.name}': row ${row} is ${describe(value)}, the model signature expects ${type}.`);
}

function fits(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
    case 'long':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'float':
    case 'double':
      return typeof value === 'number';
    case 'string':
    case 'binary':
    case 'datetime':
      return typeof value === 'string';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the fractional number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return Array.isArray(value) ? 'a list' : 'an object';
}
