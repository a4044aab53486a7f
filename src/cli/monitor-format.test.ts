import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRun } from './monitor.js';

test('a run whose window had no rows reads as "no data", with each column not enough data, not as FAILED', () => {
  const text = formatRun('quiet', {
    run: {
      run_id: 'r1', status: 'no_data', error: null, reference_rows: 60, current_rows: 0,
      summary: { dataset_drift: false, drifted_columns: 0, tested_columns: 0, performance: {} },
      detail: { drift: { columns: [{ column: 'width', status: 'not_enough_data', drift: false }] }, alerts: [] },
    },
  } as unknown as Parameters<typeof formatRun>[1]);
  assert.match(text, /^monitor quiet: run r1 has no data \(the current window has no rows\) \(reference 60 rows, current 0 rows\)/);
  assert.match(text, /width\s+not_enough_data/);
  assert.doesNotMatch(text, /FAILED/);
  const failed = formatRun('quiet', { run: { run_id: 'r2', status: 'failed', error: 'boom', summary: {} } } as unknown as Parameters<typeof formatRun>[1]);
  assert.equal(failed, 'monitor quiet: run r2 FAILED: boom\n');
});
