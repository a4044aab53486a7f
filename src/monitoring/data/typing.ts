/**
 * Column typing as Evidently infers it for a pandas DataFrame (`evidently/core/datasets.py::
 * infer_column_type`), applied to the reference window: floats are numerical; integers are
 * categorical with at most 10 distinct values, else numerical; strings are text when more than
 * half of the non-missing values are distinct, else categorical; booleans are categorical;
 * dates and times are not tested.
 */
import type { InputColumnType } from '../drift/index.js';
import type { FileColumn } from './table-file.js';

// evidently INTEGER_CARDINALITY_LIMIT.
const INTEGER_CARDINALITY_LIMIT = 10;

/** Evidently's type for a column of a window with `rows` rows. */
export function inferColumnType(column: FileColumn, rows: number): InputColumnType {
  switch (column.storage) {
    case 'float':
      return 'num';
    case 'integer':
      // pandas stores an integer column with gaps as float64, which Evidently calls numerical.
      if (column.nonMissing < rows) return 'num';
      return (column.distinct ?? 0) <= INTEGER_CARDINALITY_LIMIT ? 'cat' : 'num';
    case 'boolean':
      return 'cat';
    case 'string':
      return (column.distinct ?? 0) > column.nonMissing * 0.5 ? 'text' : 'cat';
    case 'temporal':
      return 'datetime';
    default:
      return 'unknown';
  }
}

/** Whether two windows' storage of a column can be compared (both numbers, or both labels). */
export function storageCompatible(a: FileColumn, b: FileColumn): boolean {
  const family = (c: FileColumn): string => (c.storage === 'float' || c.storage === 'integer' ? 'number' : c.storage);
  return family(a) === family(b);
}
