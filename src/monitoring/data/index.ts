/** Reading drift windows from CSV and Parquet files (DuckDB) into the drift engine's typed columns. */
export { readDriftInput } from './drift-input.js';
export type { DriftInput, DriftInputOptions } from './drift-input.js';
export { inferColumnType } from './typing.js';
