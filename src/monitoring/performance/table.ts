/**
 * Performance of one window read from a table file (CSV or Parquet, through DuckDB) that has a
 * prediction column and a label column. Rows whose label has not arrived yet (NULL) are left out:
 * labels come late, and the metrics cover the rows that have them.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { invalid } from '../../core/errors.js';
import { loadTableFile, quoteIdentifier } from '../data/table-file.js';
import type { FileColumn } from '../data/table-file.js';
import { classificationMetrics, type Average, type ClassificationInput, type ClassificationMetrics } from './classification.js';
import type { Label } from './labels.js';
import { regressionMetrics, type RegressionMetrics } from './regression.js';
import { classificationBySegment, regressionBySegment, type Disparity, type SegmentMetrics } from './segments.js';

/** What the model does. */
export type Task = 'classification' | 'regression';

/** Which columns hold what. */
export interface PerformanceSpec {
  task: Task;
  prediction: string;
  label: string;
  /** Classification: the probability of the positive class. */
  score?: string | undefined;
  /** Classification with several classes: one probability column per class. */
  scores?: readonly string[] | undefined;
  /** The class of each `scores` column; default 0, 1, … */
  classes?: readonly Label[] | undefined;
  positiveLabel?: Label | undefined;
  average?: Average | undefined;
  /** Report the metrics per value of this column, with disparity ratios. */
  segment?: string | undefined;
}

/** The performance of one window. */
export interface PerformanceResult {
  task: Task;
  rows: number;
  labelledRows: number;
  /** Null when no row of the window has a label yet. */
  metrics: ClassificationMetrics | RegressionMetrics | null;
  segmentColumn?: string;
  segments?: SegmentMetrics<ClassificationMetrics | RegressionMetrics>[];
  disparities?: Disparity[];
  note?: string;
}

const isNumberStorage = (c: FileColumn): boolean => c.storage === 'float' || c.storage === 'integer' || c.storage === 'boolean';

function asLabel(value: unknown, numeric: boolean): Label {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (numeric) return Number(value);
  return String(value);
}

/** Compute the performance metrics of the table file at `path`. */
export async function readPerformanceTable(path: string, spec: PerformanceSpec): Promise<PerformanceResult> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const file = await loadTableFile(connection, path, 'window', 'window');
    const column = (name: string | undefined, role: string): FileColumn | undefined => {
      if (name === undefined) return undefined;
      const found = file.columns.find((c) => c.name === name);
      if (!found) throw invalid(`the ${role} column '${name}' is not in the data (columns: ${file.columns.map((c) => c.name).join(', ')})`);
      return found;
    };
    const label = column(spec.label, 'label')!;
    const prediction = column(spec.prediction, 'prediction')!;
    const score = column(spec.score, 'score');
    const segment = column(spec.segment, 'segment');
    const classColumns = (spec.scores ?? []).map((name) => column(name, 'class probability')!);
    if (spec.classes && spec.classes.length !== classColumns.length) throw invalid(`${spec.classes.length} classes for ${classColumns.length} probability columns`);
    const q = quoteIdentifier;
    const select = [
      q(label.name), q(prediction.name), score ? `CAST(${q(score.name)} AS DOUBLE)` : 'NULL', segment ? `CAST(${q(segment.name)} AS VARCHAR)` : 'NULL',
      ...classColumns.map((c) => `CAST(${q(c.name)} AS DOUBLE)`),
    ];
    const reader = await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM ${q(file.table)} WHERE ${q(label.name)} IS NOT NULL AND ${q(prediction.name)} IS NOT NULL`);
    const rows = reader.getRowsJS();
    const result: PerformanceResult = { task: spec.task, rows: file.rows, labelledRows: rows.length, metrics: null };
    if (rows.length === 0) return { ...result, note: 'no row of the window has a label yet' };
    const segments = segment ? rows.map((r) => (r[3] === null ? '(missing)' : String(r[3]))) : undefined;
    if (spec.task === 'regression') {
      const actual = Float64Array.from(rows, (r) => Number(r[0]));
      const predicted = Float64Array.from(rows, (r) => Number(r[1]));
      result.metrics = regressionMetrics(actual, predicted);
      if (segments) Object.assign(result, { segmentColumn: spec.segment, ...regressionBySegment(actual, predicted, segments) });
      return result;
    }
    const numeric = isNumberStorage(label) && isNumberStorage(prediction);
    const input: ClassificationInput = {
      actual: rows.map((r) => asLabel(r[0], numeric)),
      predicted: rows.map((r) => asLabel(r[1], numeric)),
      ...(spec.positiveLabel !== undefined ? { positiveLabel: numeric ? Number(spec.positiveLabel) : String(spec.positiveLabel) } : {}),
      ...(spec.average ? { average: spec.average } : {}),
    };
    if (score) {
      if (rows.some((r) => r[2] === null)) throw invalid(`the score column '${score.name}' has missing values in labelled rows`);
      input.positiveScores = Float64Array.from(rows, (r) => Number(r[2]));
    }
    if (classColumns.length > 0) {
      if (rows.some((r) => r.slice(4).some((v) => v === null))) throw invalid('a class probability column has missing values in labelled rows');
      const classes = (spec.classes ?? classColumns.map((_, k) => k)).map((c) => asLabel(c, numeric));
      input.classScores = { classes, rows: rows.map((r) => Float64Array.from(r.slice(4), Number)) };
    }
    result.metrics = classificationMetrics(input);
    if (segments) Object.assign(result, { segmentColumn: spec.segment, ...classificationBySegment(input, segments) });
    return result;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
