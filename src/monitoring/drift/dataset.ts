/**
 * Dataset drift: test every column, then call the dataset drifted when the share of drifted
 * columns reaches `driftShare` (Evidently's `get_dataset_drift`: share ≥ drift_share, default 0.5).
 * Columns that could not be tested (no data, or a type cairn does not test) stay out of the share.
 */
import { invalid } from '../../core/errors.js';
import { driftForSample, prepareSample } from './column.js';
import type { ColumnDrift, DriftColumnType } from './column.js';
import type { Column } from './columns.js';
import type { KsMethod } from './ks.js';
import { reportHistogram } from './report-histogram.js';
import type { ReportHistogram } from './report-histogram.js';
import type { TestName } from './stattests.js';

/** The type a column was read as: the drift types, or one cairn does not test. */
export type InputColumnType = DriftColumnType | 'text' | 'datetime' | 'unknown';

/** One column of both windows, as the data layer delivers it. */
export interface DriftInputColumn {
  name: string;
  type: InputColumnType;
  reference?: Column;
  current?: Column;
}

/** Options for the whole dataset; per-column maps override the defaults. */
export interface DatasetDriftOptions {
  types?: Readonly<Record<string, DriftColumnType>>;
  tests?: Readonly<Record<string, TestName>>;
  thresholds?: Readonly<Record<string, number>>;
  ksMethod?: KsMethod;
  driftShare?: number;
  /** Also return per-column histograms (for the HTML report). */
  histograms?: boolean;
}

/** A column that was not tested, and why. */
export interface SkippedColumn {
  column: string;
  type: InputColumnType;
  status: 'skipped';
  drift: false;
  note: string;
}

/** Result for the dataset. */
export interface DatasetDrift {
  columns: (ColumnDrift | SkippedColumn)[];
  histograms?: Record<string, ReportHistogram>;
  numberOfColumns: number;
  numberOfTestedColumns: number;
  numberOfDriftedColumns: number;
  /** drifted / tested; 0 when no column could be tested. */
  shareOfDriftedColumns: number;
  driftShare: number;
  datasetDrift: boolean;
}

const UNTESTED_NOTE: Record<'text' | 'datetime' | 'unknown', string> = {
  text: 'text column (more than half of the values are distinct); use --column-type <col>=cat to test it as categorical',
  datetime: 'date/time column: not tested for drift',
  unknown: 'column type not recognised: not tested for drift',
};

/** One column's outcome inside a dataset run: its result, and its report histogram when asked for. */
export interface DatasetColumnOutcome {
  result: ColumnDrift | SkippedColumn;
  histogram?: ReportHistogram;
}

/** Test one column of a dataset (the unit of work the parallel runner hands to a worker). */
export function driftForDatasetColumn(input: DriftInputColumn, options: DatasetDriftOptions): DatasetColumnOutcome {
  const type = options.types?.[input.name] ?? input.type;
  if (type !== 'num' && type !== 'cat') {
    return { result: { column: input.name, type, status: 'skipped', drift: false, note: UNTESTED_NOTE[type] } };
  }
  if (!input.reference || !input.current) throw invalid(`column '${input.name}' has no data to test`);
  const threshold = options.thresholds?.[input.name];
  if (threshold !== undefined && !Number.isFinite(threshold)) throw invalid(`threshold for column '${input.name}' must be a number`);
  const prepared = prepareSample(input.name, type, input.reference, input.current);
  const result = driftForSample(input.name, prepared, { type, test: options.tests?.[input.name], threshold, ksMethod: options.ksMethod });
  if (options.histograms && prepared.referenceKept > 0 && prepared.currentKept > 0) return { result, histogram: reportHistogram(prepared.sample) };
  return { result };
}

/** The drift share option, checked. */
export function checkedDriftShare(options: DatasetDriftOptions): number {
  const driftShare = options.driftShare ?? 0.5;
  if (!(driftShare > 0 && driftShare <= 1)) throw invalid(`drift share must be in (0, 1], got ${driftShare}`);
  return driftShare;
}

/** The dataset verdict from the columns' outcomes, in column order. */
export function summarizeDatasetDrift(columns: readonly DriftInputColumn[], outcomes: readonly DatasetColumnOutcome[], options: DatasetDriftOptions): DatasetDrift {
  const driftShare = checkedDriftShare(options);
  const results = outcomes.map((o) => o.result);
  const tested = results.filter((r): r is ColumnDrift => r.status === 'tested');
  const drifted = tested.filter((r) => r.drift).length;
  const share = tested.length === 0 ? 0 : drifted / tested.length;
  const result: DatasetDrift = {
    columns: results,
    numberOfColumns: results.length,
    numberOfTestedColumns: tested.length,
    numberOfDriftedColumns: drifted,
    shareOfDriftedColumns: share,
    driftShare,
    datasetDrift: tested.length > 0 && share >= driftShare,
  };
  if (options.histograms) {
    const histograms: Record<string, ReportHistogram> = {};
    outcomes.forEach((o, i) => {
      if (o.histogram) histograms[columns[i]!.name] = o.histogram;
    });
    result.histograms = histograms;
  }
  return result;
}

/** Drift of every column and the dataset verdict. */
export function driftForDataset(columns: readonly DriftInputColumn[], options: DatasetDriftOptions = {}): DatasetDrift {
  checkedDriftShare(options);
  return summarizeDatasetDrift(columns, columns.map((input) => driftForDatasetColumn(input, options)), options);
}
