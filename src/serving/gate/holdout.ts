/** Read a holdout table (Parquet or CSV) with DuckDB and split off the label column. */
import { extname } from 'node:path';
import { access } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { invalid } from '../../core/errors.js';
import type { Holdout } from './evaluate.js';

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Plain JS values: DuckDB hands BIGINT back as bigint and DECIMAL as objects. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** Load the whole table; the gate's holdout sets are small enough to hold in memory. */
export async function readHoldout(path: string, label: string): Promise<Holdout> {
  await access(path).catch(() => {
    throw invalid(`--data ${path}: no such file`);
  });
  const ext = extname(path).toLowerCase();
  const reader = ext === '.parquet' || ext === '.pq' ? `read_parquet(${quote(path)})` : ext === '.csv' ? `read_csv(${quote(path)}, header = true)` : null;
  if (!reader) throw invalid(`--data ${path}: the gate reads .parquet and .csv files`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.run(`SELECT * FROM ${reader}`);
    const names = result.columnNames();
    const at = names.indexOf(label);
    if (at === -1) throw invalid(`--label ${label}: the data has no such column; it has ${names.join(', ')}`);
    const rows = (await result.getRowsJS()).map((row) => row.map(plain));
    if (rows.length === 0) throw invalid(`--data ${path}: the table is empty`);
    const labels = rows.map((row, i) => {
      const v = row[at];
      if (typeof v === 'number' || typeof v === 'string') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      throw invalid(`--label ${label}: row ${i} has no label`);
    });
    return { columns: names.filter((_, i) => i !== at), rows: rows.map((row) => row.filter((_, i) => i !== at)), labels };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
