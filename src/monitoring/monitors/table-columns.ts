/** The column names and row count of a local table file (DuckDB), to choose the columns a monitor tests. */
import { DuckDBInstance } from '@duckdb/node-api';
import { loadTableFile } from '../data/table-file.js';

/** Rows and column names of a CSV or Parquet file. */
export async function describeTable(path: string): Promise<{ rows: number; columns: string[] }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const file = await loadTableFile(connection, path, 't', 'table');
    return { rows: file.rows, columns: file.columns.map((c) => c.name) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
