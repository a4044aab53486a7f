/**
 * From a decoded request to ONNX feeds. At load time `planInputs` matches the signature to the
 * ONNX graph's inputs (and refuses a model whose signature cannot feed it); per request
 * `buildFeeds` checks the input against the signature and lays it out as tensors.
 */
import { CairnError, invalid } from '../core/errors.js';
import { enforceColumns, type CheckedFrame } from './columns.js';
import type { DecodedInput, FrameInput } from './decode.js';
import type { ColumnSpec, Schema, TensorSpec } from './signature.js';
import { checkCells, checkShape, elementKind, flattenNested, toFeedTensor, type Cell, type FeedTensor } from './tensors.js';

/** An ONNX graph input as onnxruntime reports it (symbolic dims are strings). */
export interface OnnxInput {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

/** How a request's data reaches the graph's inputs. */
export type InputPlan =
  | { readonly kind: 'stack'; readonly specs: readonly ColumnSpec[]; readonly input: OnnxInput }
  | { readonly kind: 'per-column'; readonly specs: readonly ColumnSpec[]; readonly inputs: readonly OnnxInput[] }
  | { readonly kind: 'tensors'; readonly pairs: readonly { readonly spec: TensorSpec; readonly input: OnnxInput }[] };

/** Feeds for one request, and how many rows they hold. */
export interface Feeds {
  readonly tensors: Readonly<Record<string, FeedTensor>>;
  readonly rows: number;
}

const bad = (message: string): CairnError => new CairnError('BAD_REQUEST', message);

/** Match the signature's inputs to the graph's inputs, or refuse the model with the reason. */
export function planInputs(schema: Schema | null, inputs: readonly OnnxInput[]): InputPlan {
  if (inputs.length === 0) throw invalid('The ONNX graph has no inputs');
  if (schema === null) {
    return { kind: 'tensors', pairs: inputs.map((input) => ({ spec: specFromOnnx(input), input })) };
  }
  if (schema.kind === 'columns') {
    const names = new Set(schema.columns.map((c) => c.name));
    if (inputs.every((i) => names.has(i.name))) return { kind: 'per-column', specs: schema.columns, inputs };
    if (inputs.length === 1) {
      const input = inputs[0] as OnnxInput;
      const width = input.shape[1];
      if (input.shape.length === 2 && typeof width === 'number' && width > 0 && width !== schema.columns.length) {
        throw invalid(`The signature has ${schema.columns.length} columns but the ONNX input '${input.name}' takes ${width} values per row`);
      }
      return { kind: 'stack', specs: schema.columns, input };
    }
    throw invalid(`The signature's columns (${[...names].join(', ')}) do not name the ONNX inputs (${inputs.map((i) => i.name).join(', ')})`);
  }
  const specs = schema.tensors;
  if (specs.length === 1 && inputs.length === 1) return { kind: 'tensors', pairs: [{ spec: specs[0] as TensorSpec, input: inputs[0] as OnnxInput }] };
  if (specs.length !== inputs.length) throw invalid(`The signature has ${specs.length} input tensors but the ONNX graph has ${inputs.length}`);
  const pairs = specs.map((spec, i) => {
    const input = spec.name === null ? inputs[i] : inputs.find((x) => x.name === spec.name);
    if (!input) throw invalid(`The signature's input tensor '${spec.name}' is not an input of the ONNX graph (${inputs.map((x) => x.name).join(', ')})`);
    return { spec, input };
  });
  return { kind: 'tensors', pairs };
}

function specFromOnnx(input: OnnxInput): TensorSpec {
  const dtype = input.type === 'string' ? 'str' : input.type;
  return { kind: 'tensor', name: input.name, dtype, shape: input.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)) };
}

/** Check a decoded request against the plan and build the graph's feeds. */
export function buildFeeds(request: DecodedInput, plan: InputPlan): Feeds {
  if (plan.kind === 'tensors') return tensorFeeds(request, plan.pairs);
  const checked = enforceColumns(asFrame(request), plan.specs);
  if (checked.rows === 0) throw bad('The input has no rows.');
  return plan.kind === 'stack' ? stackedFeeds(checked, plan.input) : perColumnFeeds(checked, plan.inputs);
}

/** Column schemas accept any of the four shapes; turn the non-table ones into a table. */
function asFrame(request: DecodedInput): FrameInput {
  if (request.kind === 'frame') return request;
  if (request.kind === 'named') {
    const names = Object.keys(request.values);
    const columns = names.map((n) => {
      const v = request.values[n];
      return Array.isArray(v) ? v : [v];
    });
    const length = columns[0]?.length ?? 0;
    if (!columns.every((c) => c.length === length)) throw bad('The length of values for each input/column name are not the same');
    return { kind: 'frame', columns: names, rows: Array.from({ length }, (_, r) => columns.map((c) => c[r])), fromCsv: false };
  }
  const value = request.value as unknown[];
  if (value.every((row) => Array.isArray(row))) return { kind: 'frame', columns: null, rows: value as unknown[][], fromCsv: false };
  return { kind: 'frame', columns: null, rows: value.map((v) => [v]), fromCsv: false };
}

function stackedFeeds(frame: CheckedFrame, input: OnnxInput): Feeds {
  const width = frame.columns.length;
  const cells: Cell[] = new Array<Cell>(frame.rows * width);
  frame.columns.forEach((column, c) => {
    column.values.forEach((v, r) => {
      cells[r * width + c] = v;
    });
  });
  const dims = input.shape.length === 1 && width === 1 ? [frame.rows] : [frame.rows, width];
  return { tensors: { [input.name]: toFeedTensor(input.type, cells, dims, `input '${input.name}'`) }, rows: frame.rows };
}

function perColumnFeeds(frame: CheckedFrame, inputs: readonly OnnxInput[]): Feeds {
  const tensors: Record<string, FeedTensor> = {};
  for (const input of inputs) {
    const column = frame.columns.find((c) => c.spec.name === input.name);
    if (!column) throw bad(`Model is missing inputs ['${input.name}'].`);
    const dims = input.shape.length === 2 ? [frame.rows, 1] : [frame.rows];
    tensors[input.name] = toFeedTensor(input.type, column.values, dims, `column '${input.name}'`);
  }
  return { tensors, rows: frame.rows };
}

function tensorFeeds(request: DecodedInput, pairs: readonly { spec: TensorSpec; input: OnnxInput }[]): Feeds {
  const tensors: Record<string, FeedTensor> = {};
  let rows = -1;
  for (const [i, { spec, input }] of pairs.entries()) {
    const label = spec.name ?? input.name;
    const value = tensorValue(request, spec, pairs.length === 1, i);
    const { flat, dims } = flattenNested(value, `input '${label}'`);
    checkShape(spec, dims, `'${label}'`);
    const cells = checkCells(flat, spec.dtype, `input '${label}'`);
    tensors[input.name] = toFeedTensor(input.type, cells, dims, `input '${label}'`);
    if (rows === -1) rows = dims[0] ?? 1;
  }
  return { tensors, rows: Math.max(rows, 0) };
}

function tensorValue(request: DecodedInput, spec: TensorSpec, only: boolean, position: number): unknown {
  if (request.kind === 'tensor') {
    if (!only) throw bad('This model takes several named input tensors; send "inputs" as an object mapping each name to its values.');
    return request.value;
  }
  if (request.kind === 'named') {
    const name = spec.name;
    if (name !== null && name in request.values) return request.values[name];
    if (only && Object.keys(request.values).length === 1) return Object.values(request.values)[0];
    if (name === null) throw bad('This model takes one unnamed input tensor; send "inputs" or "instances" as a nested list, not an object of named columns.');
    throw bad(`Model is missing inputs ['${name}'].`);
  }
  const rows = request.fromCsv ? request.rows.map((row) => row.map((cell) => csvNumber(cell, spec.dtype))) : request.rows;
  if (only) return rows;
  const at = request.columns?.indexOf(spec.name ?? '') ?? -1;
  if (at === -1) throw bad(`Model is missing inputs ['${spec.name ?? position}'].`);
  return rows.map((row) => row[at]);
}

function csvNumber(cell: unknown, dtype: string): unknown {
  const kind = elementKind(dtype);
  if (typeof cell !== 'string' || (kind !== 'float' && kind !== 'int')) return cell;
  if (cell === '' || cell === 'NaN' || cell === 'nan') return kind === 'float' ? NaN : null;
  const n = Number(cell);
  return Number.isNaN(n) ? cell : n;
}
