import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepReadableSamples } from './metrics.js';

const EXPOSITION = [
  '# HELP cairn_deployment_requests_total Scoring requests answered',
  '# TYPE cairn_deployment_requests_total counter',
  'cairn_deployment_requests_total{deployment="churn",version="3",shadow="false"} 12',
  'cairn_deployment_requests_total{deployment="fraud \\"eu\\"",version="1",shadow="false"} 4',
  'cairn_monitor_last_run_ok{monitor="churn-drift"} 1',
  'cairn_monitor_value{monitor="fraud-drift",metric="drift_share",column=""} 0.5',
  'process_cpu_seconds_total 1.5',
].join('\n');

test('/metrics keeps only the samples of deployments and monitors the caller may read', () => {
  const kept = keepReadableSamples(EXPOSITION, (d) => d === 'churn', (m) => m === 'churn-drift').split('\n');
  assert.deepEqual(kept, [
    '# HELP cairn_deployment_requests_total Scoring requests answered',
    '# TYPE cairn_deployment_requests_total counter',
    'cairn_deployment_requests_total{deployment="churn",version="3",shadow="false"} 12',
    'cairn_monitor_last_run_ok{monitor="churn-drift"} 1',
    'process_cpu_seconds_total 1.5',
  ]);
  // Escaped label values are compared unescaped.
  const fraud = keepReadableSamples(EXPOSITION, (d) => d === 'fraud "eu"', () => false);
  assert.match(fraud, /deployment="fraud \\"eu\\""/);
  assert.doesNotMatch(fraud, /deployment="churn"/);
  assert.equal(keepReadableSamples(EXPOSITION, () => true, () => true), EXPOSITION);
});
