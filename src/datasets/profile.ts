/**
 * Table profiles with DuckDB: schema, row count, and per column the share of nulls, the exact
 * number of distinct values, and either min/max/mean/standard deviation/quantiles (numbers),
 * min/max (dates and times) or the most frequent values (text, booleans).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** The table formats cairn profiles, by file name. */
export type TableFormat = 'csv' | 'parquet' | 'jsonl';

/** What kind of statistics a column gets. */
export type ColumnKind = 'numeric' | 'categorical' | 'temporal' | 'other';

/** The quantiles a numeric column reports. */
export const PROFILE_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
/** How many of a categorical column's most frequent values a profile keeps. */
export const TOP_CATEGORIES = 5;

export interface ColumnProfile {
  name: string;
  /** DuckDB's type for the column (BIGINT, DOUBLE, VARCHAR, DATE, ...). */
  type: string;
  kind: ColumnKind;
  nullCount: number;
  /** Nulls over rows; 0 for an empty table. */
  nullShare: number;
  distinct: number;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  /** Keyed by quantile as written in PROFILE_QUANTILES ("0.05", "0.5", ...). */
  quantiles?: Record<string, number | null>;
  top?: { value: string; count: number }[];
}

export interface TableProfile {
  format: TableFormat;
  rows: number;
  columns: ColumnProfile[];
}

/** The format of a table file, by its name, or undefined for files that are not tables. */
export function tableFormatOf(path: string): TableFormat | undefined {
  const lower = path.toLowerCase();
  if (/\.(parquet|pq)$/.test(lower)) return 'parquet';
  if (/\.(csv|tsv)(\.gz|\.zst)?$/.test(lower)) return 'csv';
  if (/\.(jsonl|ndjson|json)(\.gz)?$/.test(lower)) return 'jsonl';
  return undefined;
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

function reader(file: string, format: TableFormat): string {
  switch (format) {
    case 'parquet':
      return `read_parquet(${quoteString(file)})`;
    case 'csv':
      return `read_csv(${quoteString(file)}, header = true)`;
    case 'jsonl':
      // format 'auto' also takes a JSON array, which people save as .json.
      return `read_json_auto(${quoteString(file)}, format = 'auto')`;
  }
}

function kindOf(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return 'numeric';
  if (t === 'VARCHAR' || t === 'BOOLEAN' || t.startsWith('ENUM')) return 'categorical';
  if (/^(DATE|TIME|TIMESTAMP)/.test(t)) return 'temporal';
  return 'other';
}

/** A JSON-safe number: NaN and infinities (a column holding them) become null. */
function finite(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : null;
}

function columnSelects(name: string, kind: ColumnKind, i: number): string[] {
  const c = quoteIdentifier(name);
  // Distinct counts of nested types go through their text form, which every type has.
  const distinctOf = kind === 'other' ? `CAST(${c} AS VARCHAR)` : c;
  const parts = [`count(${c}) AS n${i}`, `count(DISTINCT ${distinctOf}) AS d${i}`];
  if (kind === 'numeric') {
    const x = `CAST(${c} AS DOUBLE)`;
    parts.push(`min(${x}) AS min${i}`, `max(${x}) AS max${i}`, `avg(${x}) AS mean${i}`, `stddev_samp(${x}) AS std${i}`);
    PROFILE_QUANTILES.forEach((q, j) => parts.push(`quantile_cont(${x}, ${q}) AS q${i}_${j}`));
  } else if (kind === 'temporal') {
    parts.push(`CAST(min(${c}) AS VARCHAR) AS min${i}`, `CAST(max(${c}) AS VARCHAR) AS max${i}`);
  }
  return parts;
}

async function profileLoaded(connection: DuckDBConnection, format: TableFormat): Promise<TableProfile> {
  const described = await connection.runAndReadAll('DESCRIBE profiled');
  const schema = described.getRowObjects().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  const selects = ['count(*) AS row_count', ...schema.flatMap((col, i) => columnSelects(col.name, kindOf(col.type), i))];
  const stats = (await connection.runAndReadAll(`SELECT ${selects.join(', ')} FROM profiled`)).getRowObjects()[0] ?? {};
  const rows = finite(stats['row_count']) ?? 0;
  const columns: ColumnProfile[] = [];
  for (const [i, col] of schema.entries()) {
    const kind = kindOf(col.type);
    const nonNull = finite(stats[`n${i}`]) ?? 0;
    const profile: ColumnProfile = { name: col.name, type: col.type, kind, nullCount: rows - nonNull, nullShare: rows === 0 ? 0 : (rows - nonNull) / rows, distinct: finite(stats[`d${i}`]) ?? 0 };
    if (kind === 'numeric') {
      profile.min = finite(stats[`min${i}`]);
      profile.max = finite(stats[`max${i}`]);
      profile.mean = finite(stats[`mean${i}`]);
      profile.std = finite(stats[`std${i}`]);
      profile.quantiles = Object.fromEntries(PROFILE_QUANTILES.map((q, j) => [String(q), finite(stats[`q${i}_${j}`])]));
    } else if (kind === 'temporal') {
      profile.min = stats[`min${i}`] === null ? null : String(stats[`min${i}`]);
      profile.max = stats[`max${i}`] === null ? null : String(stats[`max${i}`]);
    } else if (kind === 'categorical') {
      const c = quoteIdentifier(col.name);
      const top = await connection.runAndReadAll(
        `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS n FROM profiled WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ${TOP_CATEGORIES}`,
      );
      profile.top = top.getRowObjects().map((r) => ({ value: String(r['value']), count: finite(r['n']) ?? 0 }));
    }
    columns.push(profile);
  }
  return { format, rows, columns };
}

/** Profile one table file on local disk. Throws DuckDB's first error line when it cannot read it. */
export async function profileTableFile(file: string, format: TableFormat): Promise<TableProfile> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    try {
      await connection.run(`CREATE TEMP TABLE profiled AS SELECT * FROM ${reader(file, format)}`);
    } catch (error) {
      throw new Error(error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error));
    }
    return await profileLoaded(connection, format);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
