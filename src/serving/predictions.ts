/**
 * The `predictions` value of a scoring response, shaped like the pyfunc models MLflow serves:
 * one output gives a list with one value per row (a scalar when the output is [N] or [N, 1],
 * a list when it is [N, k]); several outputs give one record per row, e.g.
 * `[{"label": 0, "probabilities": [0.98, 0.02, 0.0]}]`. Outputs that are not one-row-per-input
 * are returned whole as `{name: nested list}`.
 */

/** One output tensor as the runtime returns it. */
export interface OutputTensor {
  readonly data: ArrayLike<number | bigint | string | boolean>;
  readonly dims: readonly number[];
}

/** A JSON value in a response. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Shape the named outputs of one run into the response's `predictions`. */
export function toPredictions(outputs: ReadonlyMap<string, OutputTensor>, rows: number): JsonValue {
  const entries = [...outputs.entries()];
  const perRow = entries.every(([, t]) => t.dims[0] === rows);
  if (!perRow) return Object.fromEntries(entries.map(([name, t]) => [name, nest(t, 0, t.dims)]));
  const columns = entries.map(([name, t]) => [name, rowValues(t, rows)] as const);
  if (columns.length === 1) return (columns[0] as readonly [string, JsonValue[]])[1];
  // Plain loops: this runs once per request on the scoring path.
  const records: JsonValue[] = new Array<JsonValue>(rows);
  for (let r = 0; r < rows; r++) {
    const record: { [key: string]: JsonValue } = {};
    for (const [name, values] of columns) record[name] = values[r] ?? null;
    records[r] = record;
  }
  return records;
}

/** Split a [N, ...] tensor into N values; [N] and [N, 1] give scalars. */
function rowValues(tensor: OutputTensor, rows: number): JsonValue[] {
  const inner = tensor.dims.slice(1);
  const scalarRows = inner.length === 0 || (inner.length === 1 && inner[0] === 1);
  const size = inner.reduce((a, b) => a * b, 1);
  const out: JsonValue[] = new Array<JsonValue>(rows);
  for (let r = 0; r < rows; r++) out[r] = scalarRows ? scalar(tensor.data[r * size]) : nest(tensor, r * size, inner);
  return out;
}

function nest(tensor: OutputTensor, offset: number, dims: readonly number[]): JsonValue {
  if (dims.length === 0) return scalar(tensor.data[offset]);
  const first = dims[0] as number;
  const out: JsonValue[] = new Array<JsonValue>(first);
  if (dims.length === 1) {
    // The common case (a row's class probabilities): one flat slice.
    for (let i = 0; i < first; i++) out[i] = scalar(tensor.data[offset + i]);
    return out;
  }
  const rest = dims.slice(1);
  const size = rest.reduce((a, b) => a * b, 1);
  for (let i = 0; i < first; i++) out[i] = nest(tensor, offset + i * size, rest);
  return out;
}

/** int64 comes back as bigint; JSON has one number type, and NaN/Infinity have no JSON spelling. */
function scalar(value: number | bigint | string | boolean | undefined): JsonValue {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value ?? null;
}
