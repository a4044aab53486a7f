/**
 * Write rows to a Parquet file with DuckDB: an in-memory table filled through the appender, then
 * one COPY. The caller moves the file into the artifact store.
 */
import { DuckDBInstance, timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';

/** A column's value as the appender takes it. */
export type Cell = string | number | boolean | null;

type ColumnType = 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMP' | 'DOUBLE' | 'INTEGER';

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** One DuckDB connection reused for every flush of a writer. */
export class ParquetEncoder {
  private connection: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | null = null;
  private table = 0;

  private open(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    this.connection ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return { instance, connection: await instance.connect() };
    })();
    return this.connection;
  }

  /** Write `rows` (cells in column order; TIMESTAMP cells are epoch ms) to `path` as Parquet. */
  async write(path: string, columns: readonly (readonly [string, ColumnType])[], rows: readonly (readonly Cell[])[]): Promise<void> {
    const { connection } = await this.open();
    const table = `rows_${++this.table}`;
    await connection.run(`CREATE TEMP TABLE ${table} (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
    try {
      const appender = await connection.createAppender(table);
      for (const row of rows) {
        columns.forEach(([, type], i) => append(appender, type, row[i] ?? null));
        appender.endRow();
      }
      appender.closeSync();
      await connection.run(`COPY ${table} TO ${quote(path)} (FORMAT parquet, COMPRESSION zstd)`);
    } finally {
      await connection.run(`DROP TABLE ${table}`);
    }
  }

  /** Release DuckDB. */
  async close(): Promise<void> {
    const opened = this.connection;
    this.connection = null;
    if (!opened) return;
    const { instance, connection } = await opened;
    connection.closeSync();
    instance.closeSync();
  }
}

function append(appender: DuckDBAppender, type: ColumnType, value: Cell): void {
  if (value === null) return appender.appendNull();
  switch (type) {
    case 'VARCHAR':
      return appender.appendVarchar(String(value));
    case 'BOOLEAN':
      return appender.appendBoolean(Boolean(value));
    case 'TIMESTAMP':
      return appender.appendTimestamp(timestampValue(BigInt(Math.round(Number(value))) * 1000n));
    case 'DOUBLE':
      return appender.appendDouble(Number(value));
    case 'INTEGER':
      return appender.appendInteger(Number(value));
  }
}
