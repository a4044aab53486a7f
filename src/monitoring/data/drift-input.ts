/**
 * Read a reference and a current file (CSV or Parquet, through DuckDB) into the typed columns the
 * drift engine takes: numbers as Float64Array (NaN = missing), labels dictionary-encoded. Label
 * columns are counted by DuckDB (GROUP BY) and expanded to codes, so row order is not kept —
 * no drift statistic depends on it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalid } from '../../core/errors.js';
import type { CategoricalColumn, Column, DriftColumnType, DriftInputColumn, InputColumnType, NumericColumn } from '../drift/index.js';
import { duckdb } from './duckdb.js';
import { loadTableFile, quoteIdentifier } from './table-file.js';
import type { FileColumn, TableFile } from './table-file.js';
import { inferColumnType, storageCompatible } from './typing.js';

/** What to read, and the caller's type overrides. */
export interface DriftInputOptions {
  /** Only these columns (default: all). */
  columns?: readonly string[];
  types?: Readonly<Record<string, DriftColumnType>>;
}

/** Both windows' columns, typed, plus row counts. */
export interface DriftInput {
  columns: DriftInputColumn[];
  referenceRows: number;
  currentRows: number;
}

type ReadMode = 'numbers' | 'labels';

function readMode(name: string, type: InputColumnType, storage: FileColumn['storage']): ReadMode | null {
  if (type !== 'num' && type !== 'cat') return null;
  if (storage === 'temporal' && type === 'num') throw invalid(`column '${name}' holds dates or times, which cannot be tested as numerical`);
  if (storage === 'float') return 'numbers';
  if (type === 'num' && (storage === 'integer' || storage === 'boolean')) return 'numbers';
  return 'labels';
}

/**
 * The chunk's doubles as a typed array. The library keeps them in a Float64Array it does not
 * expose; reading it directly is about 10× faster than getItem per value, which matters at
 * millions of rows. The query maps NULL to NaN, so validity never needs checking. Falls back to
 * getItem if the library's internals change.
 */
function chunkDoubles(vector: unknown, rows: number): Float64Array | null {
  const items = (vector as { items?: unknown }).items;
  return items instanceof Float64Array && items.length === rows ? items : null;
}

async function readNumbers(connection: DuckDBConnection, file: TableFile, names: readonly string[]): Promise<Map<string, Float64Array>> {
  const out = new Map<string, Float64Array>();
  if (names.length === 0) return out;
  const arrays = names.map(() => new Float64Array(file.rows));
  const select = names.map((n) => `coalesce(CAST(${quoteIdentifier(n)} AS DOUBLE), 'NaN'::DOUBLE)`).join(', ');
  const result = await connection.stream(`SELECT ${select} FROM ${quoteIdentifier(file.table)}`);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    arrays.forEach((array, c) => {
      const vector = chunk.getColumnVector(c);
      const direct = chunkDoubles(vector, rows);
      if (direct) array.set(direct, offset);
      else for (let i = 0; i < rows; i++) array[offset + i] = (vector.getItem(i) as number | null) ?? Number.NaN;
    });
    offset += rows;
  }
  names.forEach((n, i) => out.set(n, arrays[i]!));
  return out;
}

/** Every label column of a file, counted by DuckDB in one query and expanded to codes. */
async function readLabels(connection: DuckDBConnection, file: TableFile, columns: readonly FileColumn[]): Promise<Map<string, CategoricalColumn>> {
  const out = new Map<string, CategoricalColumn>();
  if (columns.length === 0) return out;
  const table = quoteIdentifier(file.table);
  const parts = columns.map((column, k) => `SELECT ${k} AS k, CAST(${quoteIdentifier(column.name)} AS VARCHAR) AS label, count(*) AS n FROM ${table} GROUP BY ALL`);
  const reader = await connection.runAndReadAll(parts.join(' UNION ALL '));
  const built = columns.map(() => ({ codes: new Int32Array(file.rows), categories: [] as string[], offset: 0 }));
  for (const [k, label, n] of reader.getRows()) {
    const column = built[Number(k)]!;
    const count = Number(n);
    const code = label === null ? -1 : column.categories.push(String(label)) - 1;
    column.codes.fill(code, column.offset, column.offset + count);
    column.offset += count;
  }
  columns.forEach((column, k) => {
    const numericLabels = column.storage === 'integer' || column.storage === 'boolean' || column.storage === 'float';
    out.set(column.name, { kind: 'cat', codes: built[k]!.codes, categories: built[k]!.categories, numericLabels });
  });
  return out;
}

function checkSchemas(reference: TableFile, current: TableFile, wanted: readonly string[] | undefined): string[] {
  const refNames = reference.columns.map((c) => c.name);
  const curNames = new Set(current.columns.map((c) => c.name));
  if (wanted) {
    const unknown = wanted.filter((n) => !refNames.includes(n) || !curNames.has(n));
    if (unknown.length) throw invalid(`unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (the files have: ${refNames.join(', ')})`);
    return [...wanted];
  }
  const onlyRef = refNames.filter((n) => !curNames.has(n));
  const onlyCur = [...curNames].filter((n) => !refNames.includes(n));
  if (onlyRef.length || onlyCur.length) {
    const parts = [];
    if (onlyRef.length) parts.push(`only in the reference: ${onlyRef.join(', ')}`);
    if (onlyCur.length) parts.push(`only in the current window: ${onlyCur.join(', ')}`);
    throw invalid(`the reference and current files have different columns (${parts.join('; ')}); pick shared ones with --columns`);
  }
  return refNames;
}

/** Type of a column: the caller's override, else Evidently's rule on the window that has data. */
function columnType(name: string, ref: FileColumn, cur: FileColumn, refRows: number, curRows: number, override?: DriftColumnType): InputColumnType {
  if (ref.nonMissing > 0 && cur.nonMissing > 0 && !storageCompatible(ref, cur)) {
    throw invalid(`column '${name}' is ${ref.sqlType} in the reference but ${cur.sqlType} in the current window`);
  }
  if (override) return override;
  if (ref.nonMissing > 0) return inferColumnType(ref, refRows);
  if (cur.nonMissing > 0) return inferColumnType(cur, curRows);
  return 'num';
}

function emptyColumn(like: Column | undefined, rows: number): Column {
  if (like?.kind === 'cat') return { kind: 'cat', codes: new Int32Array(rows).fill(-1), categories: [], numericLabels: like.numericLabels };
  return { kind: 'num', values: new Float64Array(rows).fill(Number.NaN), integer: false };
}

/**
 * The numbers and labels of one file's columns, one query each, on two connections at once: the
 * numbers stream waits on JavaScript between chunks, and the label counts fill those gaps.
 */
async function readFileColumns(connections: readonly [DuckDBConnection, DuckDBConnection], file: TableFile, numbers: readonly string[], labels: readonly FileColumn[]): Promise<{ numbers: Map<string, Float64Array>; labels: Map<string, CategoricalColumn> }> {
  const [numbersRead, labelsRead] = await both(readNumbers(connections[0], file, numbers), readLabels(connections[1], file, labels));
  return { numbers: numbersRead, labels: labelsRead };
}

/**
 * Both promises, once both have settled: closing a connection while its query still runs crashes
 * DuckDB, so a failure on one file waits for the other file's query before it is thrown.
 */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === 'rejected') throw x.reason;
  if (y.status === 'rejected') throw y.reason;
  return [x.value, y.value];
}

/** Read both files and type their columns for the drift engine. */
export async function readDriftInput(referencePath: string, currentPath: string, options: DriftInputOptions = {}): Promise<DriftInput> {
  // No drift statistic depends on row order; dropping it lets DuckDB parse CSV files in parallel (3× faster).
  const instance = await duckdb.DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
  // Two connections per file, so both files are read at the same time (see readFileColumns).
  const [refConnection, curConnection, refLabels, curLabels] = await Promise.all([instance.connect(), instance.connect(), instance.connect(), instance.connect()]);
  try {
    const [reference, current] = await both(
      loadTableFile(refConnection, referencePath, 'reference', 'reference'),
      loadTableFile(curConnection, currentPath, 'current', 'current'),
    );
    const names = checkSchemas(reference, current, options.columns);
    for (const n of Object.keys(options.types ?? {})) if (!names.includes(n)) throw invalid(`unknown column '${n}' in --column-type`);
    const plan = names.map((name) => {
      const ref = reference.columns.find((c) => c.name === name)!;
      const cur = current.columns.find((c) => c.name === name)!;
      const type = columnType(name, ref, cur, reference.rows, current.rows, options.types?.[name]);
      const storageSide = ref.nonMissing > 0 ? ref : cur;
      return { name, ref, cur, type, mode: readMode(name, type, storageSide.storage) };
    });
    const toRead = (side: 'ref' | 'cur', mode: ReadMode) => plan.filter((p) => p.mode === mode && p[side].nonMissing > 0);
    const [refRead, curRead] = await both(
      readFileColumns([refConnection, refLabels], reference, toRead('ref', 'numbers').map((p) => p.name), toRead('ref', 'labels').map((p) => p.ref)),
      readFileColumns([curConnection, curLabels], current, toRead('cur', 'numbers').map((p) => p.name), toRead('cur', 'labels').map((p) => p.cur)),
    );
    const columns: DriftInputColumn[] = [];
    for (const p of plan) {
      if (!p.mode) {
        columns.push({ name: p.name, type: p.type });
        continue;
      }
      const read = (file: TableFile, column: FileColumn, from: typeof refRead): Column | undefined => {
        if (column.nonMissing === 0) return undefined;
        if (p.mode === 'labels') return from.labels.get(p.name)!;
        const integer = column.storage === 'integer' && column.nonMissing === file.rows;
        return { kind: 'num', values: from.numbers.get(p.name)!, integer } satisfies NumericColumn;
      };
      const ref = read(reference, p.ref, refRead);
      const cur = read(current, p.cur, curRead);
      columns.push({
        name: p.name,
        type: p.type,
        reference: ref ?? emptyColumn(cur, reference.rows),
        current: cur ?? emptyColumn(ref, current.rows),
      });
    }
    return { columns, referenceRows: reference.rows, currentRows: current.rows };
  } finally {
    for (const connection of [refConnection, curConnection, refLabels, curLabels]) connection.closeSync();
    instance.closeSync();
  }
}
