/** The messages between the drift pool and its worker threads. */
import type { ErrorCode } from '../../core/errors.js';
import type { DatasetColumnOutcome, DatasetDriftOptions, DriftInputColumn } from './dataset.js';

/** Columns for one worker, with their positions in the dataset. */
export interface ColumnJob {
  job: number;
  columns: { index: number; input: DriftInputColumn }[];
  options: DatasetDriftOptions;
}

/** A worker's answer: every column's outcome, or the first error. */
export type JobReply =
  | { job: number; outcomes: { index: number; outcome: DatasetColumnOutcome }[] }
  | { job: number; error: { code: ErrorCode; message: string } };
