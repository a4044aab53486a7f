/**
 * A drift worker thread: tests the columns the pool hands it and posts the outcomes back.
 * Errors travel as their code and message, so the caller rethrows the same CairnError.
 */
import { parentPort } from 'node:worker_threads';
import { CairnError } from '../../core/errors.js';
import { driftForDatasetColumn } from './dataset.js';
import type { ColumnJob, JobReply } from './pool-messages.js';

function testColumns(job: ColumnJob): JobReply {
  try {
    const outcomes = job.columns.map(({ index, input }) => ({ index, outcome: driftForDatasetColumn(input, job.options) }));
    return { job: job.job, outcomes };
  } catch (error) {
    const code = error instanceof CairnError ? error.code : 'INTERNAL_ERROR';
    return { job: job.job, error: { code, message: error instanceof Error ? error.message : String(error) } };
  }
}

parentPort?.on('message', function onColumnJob(job: ColumnJob) {
  parentPort?.postMessage(testColumns(job));
});
