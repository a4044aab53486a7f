/**
 * The request formats of MLflow's scoring server (mlflow/pyfunc/scoring_server/__init__.py and
 * mlflow/utils/proto_json_utils.py): a JSON object with exactly one of `dataframe_split`,
 * `dataframe_records`, `instances`, `inputs` (plus an optional `params`), or a CSV body.
 * Decoding only reshapes; the signature check in enforce.ts decides what the values may be.
 */
import { CairnError } from '../core/errors.js';
import { parseCsv } from './csv.js';
import { parsePythonJson } from './json.js';

/** A table (from the dataframe formats, `instances` records or CSV). `columns` is null when positional. */
export interface FrameInput {
  readonly kind: 'frame';
  readonly columns: readonly string[] | null;
  readonly rows: readonly (readonly unknown[])[];
  /** CSV cells are text and are converted by the signature's types. */
  readonly fromCsv: boolean;
}

/** One unnamed tensor, as nested arrays (`instances` / `inputs` with a list). */
export interface TensorInput {
  readonly kind: 'tensor';
  readonly value: unknown;
}

/** Named inputs, each a list or nested list (`inputs` / `instances` with an object of columns). */
export interface NamedInput {
  readonly kind: 'named';
  readonly values: Readonly<Record<string, unknown>>;
}

/** What a request asked the model to score. */
export type DecodedInput = FrameInput | TensorInput | NamedInput;

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
const REQUIRED_INPUT_FORMAT = `The input must be a JSON dictionary with exactly one of the input fields {${FORMATS.map((f) => `'${f}'`).join(', ')}}`;

const bad = (message: string): CairnError => new CairnError('BAD_REQUEST', message);

/** Decode a JSON request body into a frame, a tensor or named inputs. */
export function decodeJsonRequest(text: string): DecodedInput {
  const body = parsePythonJson(text);
  if (Array.isArray(body)) throw bad(`${REQUIRED_INPUT_FORMAT}. Received a list.`);
  if (body === null || typeof body !== 'object') throw bad(`${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${body === null ? 'null' : typeof body}'.`);
  const record = body as Record<string, unknown>;
  const present = FORMATS.filter((f) => f in record);
  if (present.length !== 1) throw bad(`${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: [${Object.keys(record).map((k) => `'${k}'`).join(', ')}].`);
  const format = present[0] as (typeof FORMATS)[number];
  const value = record[format];
  switch (format) {
    case 'dataframe_split':
      return decodeSplit(value);
    case 'dataframe_records':
      return decodeRecords(value, 'dataframe_records');
    case 'instances':
      return decodeTensorFormat(value, 'instances', true);
    case 'inputs':
      return decodeTensorFormat(value, 'inputs', false);
  }
}

/** Decode a CSV body (header row first). */
export function decodeCsvRequest(text: string): FrameInput {
  const table = parseCsv(text);
  return { kind: 'frame', columns: table.columns, rows: table.rows, fromCsv: true };
}

function decodeSplit(value: unknown): FrameInput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw bad(`Dataframe split format must be a dictionary. Got ${Array.isArray(value) ? 'list' : `type ${value === null ? 'null' : typeof value}`}.`);
  }
  const split = value as Record<string, unknown>;
  const extra = Object.keys(split).filter((k) => k !== 'columns' && k !== 'data' && k !== 'index');
  if (!('data' in split) || extra.length > 0) throw bad(`Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {${Object.keys(split).map((k) => `'${k}'`).join(', ')}}.`);
  const data = split['data'];
  if (!Array.isArray(data)) throw bad("dataframe_split.data must be a list of rows.");
  const columns = split['columns'];
  if (columns !== undefined && columns !== null && (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string' || typeof c === 'number'))) {
    throw bad('dataframe_split.columns must be a list of column names.');
  }
  const names = Array.isArray(columns) ? columns.map(String) : null;
  const rows = data.map((row, i) => {
    // pandas accepts a bare value per row for a one-column frame.
    const cells = Array.isArray(row) ? row : [row];
    if (names && cells.length !== names.length) throw bad(`dataframe_split.data row ${i} has ${cells.length} values but ${names.length} columns are named.`);
    return cells;
  });
  return { kind: 'frame', columns: names, rows, fromCsv: false };
}

function decodeRecords(value: unknown, field: string): FrameInput {
  if (!Array.isArray(value)) throw bad(`Dataframe records format must be a list of records. Got ${value !== null && typeof value === 'object' ? 'dictionary' : `type ${value === null ? 'null' : typeof value}`}.`);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const [i, record] of value.entries()) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw bad(`${field}[${i}] must be an object mapping column names to values.`);
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  // A key missing from one record is a missing value in that row, as pandas makes it.
  const rows = value.map((record: Record<string, unknown>) => columns.map((c) => (c in record ? record[c] : null)));
  return { kind: 'frame', columns, rows, fromCsv: false };
}

function decodeTensorFormat(value: unknown, field: 'instances' | 'inputs', rowsOfRecords: boolean): DecodedInput {
  if (Array.isArray(value)) {
    const first = value[0];
    if (rowsOfRecords && value.length > 0 && first !== null && typeof first === 'object' && !Array.isArray(first)) return decodeRecords(value, field);
    if (!rowsOfRecords && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return decodeRecords(value, field);
    return { kind: 'tensor', value };
  }
  if (value !== null && typeof value === 'object') return { kind: 'named', values: value as Record<string, unknown> };
  if (value === undefined) throw bad(`'${field}' must not be empty.`);
  return { kind: 'tensor', value: [value] };
}
