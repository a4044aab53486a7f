/**
 * One CSV or Parquet file loaded into a DuckDB temporary table, with its schema and the
 * per-column counts that column typing needs.
 */
import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalid, notFound } from '../../core/errors.js';

/** How DuckDB stored a column, reduced to what typing cares about. */
export type StorageClass = 'float' | 'integer' | 'boolean' | 'string' | 'temporal' | 'other';

/** A column of a loaded file. */
export interface FileColumn {
  name: string;
  sqlType: string;
  storage: StorageClass;
  nonMissing: number;
  /** Distinct non-missing values; counted for integer and string columns only (typing needs no more). */
  distinct: number | null;
}

/** A loaded file: the temporary table's name, its row count and columns. */
export interface TableFile {
  path: string;
  table: string;
  rows: number;
  columns: FileColumn[];
}

// The strings pandas.read_csv reads as missing, so a CSV means the same thing to cairn and Evidently.
const MISSING_STRINGS = ['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null'];

/** Quote an SQL identifier. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

function storageClass(sqlType: string): StorageClass {
  const t = sqlType.toUpperCase();
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(t)) return 'float';
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return 'integer';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR') return 'string';
  if (/^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(t)) return 'temporal';
  return 'other';
}

function readerFor(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return `read_parquet(${quoteString(path)})`;
  if (/\.(csv|tsv|txt)(\.gz|\.zst)?$/.test(lower)) {
    const nulls = MISSING_STRINGS.map(quoteString).join(', ');
    return `read_csv(${quoteString(path)}, header = true, nullstr = [${nulls}])`;
  }
  throw invalid(`cannot tell the format of '${path}': use a .csv or .parquet file`);
}

/** Load `path` into the temporary table `table` and describe it. */
export async function loadTableFile(connection: DuckDBConnection, path: string, table: string, role: string): Promise<TableFile> {
  if (!existsSync(path)) throw notFound(`${role} file '${path}' does not exist`);
  if (statSync(path).isDirectory()) throw invalid(`${role} path '${path}' is a folder, not a file`);
  const reader = readerFor(path);
  // Parquet is columnar and cheap to scan again, so a view avoids copying it (1.4 s per million
  // rows × 20 columns); a CSV file is parsed once into a table. Not TEMP: the database is private to
  // the caller's instance, and other connections of it read the table at the same time.
  const kind = reader.startsWith('read_parquet') ? 'VIEW' : 'TABLE';
  try {
    await connection.run(`CREATE OR REPLACE ${kind} ${quoteIdentifier(table)} AS SELECT * FROM ${reader}`);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw invalid(`cannot read ${role} file '${path}': ${message}`);
  }
  const described = await connection.runAndReadAll(`DESCRIBE ${quoteIdentifier(table)}`);
  const schema = described.getRowObjects().map((row) => ({ name: String(row['column_name']), sqlType: String(row['column_type']) }));
  const known = kind === 'VIEW' ? await parquetNullCounts(connection, path) : new Map<string, number>();
  const parts = ['count(*)'];
  for (const { name, sqlType } of schema) {
    const c = quoteIdentifier(name);
    const storage = storageClass(sqlType);
    parts.push(known.has(name) ? 'NULL' : `count(${c})`, storage === 'integer' || storage === 'string' ? `count(DISTINCT ${c})` : 'NULL');
  }
  const stats = await connection.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${quoteIdentifier(table)}`);
  const row = stats.getRows()[0] ?? [];
  const rows = Number(row[0] ?? 0);
  const columns = schema.map(({ name, sqlType }, i) => ({
    name,
    sqlType,
    storage: storageClass(sqlType),
    nonMissing: known.has(name) ? rows - known.get(name)! : Number(row[1 + 2 * i] ?? 0),
    distinct: row[2 + 2 * i] === null || row[2 + 2 * i] === undefined ? null : Number(row[2 + 2 * i]),
  }));
  return { path, table, rows, columns };
}

/**
 * Null counts of a Parquet file's top-level columns from its footer statistics, which costs no
 * scan; columns whose row groups lack the statistic are left out (and counted by the query).
 */
async function parquetNullCounts(connection: DuckDBConnection, path: string): Promise<Map<string, number>> {
  const reader = await connection.runAndReadAll(
    `SELECT path_in_schema, sum(stats_null_count), count(*) = count(stats_null_count) FROM parquet_metadata(${quoteString(path)}) GROUP BY ALL`,
  );
  const out = new Map<string, number>();
  for (const [column, nulls, complete] of reader.getRows()) if (complete === true && nulls !== null) out.set(String(column), Number(nulls));
  return out;
}
