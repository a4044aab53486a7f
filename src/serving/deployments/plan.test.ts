import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeploymentName, checkPlan, pickRoute } from './plan.js';

test('pickRoute splits the unit interval by weight', () => {
  const routes = [{ version: '1', weight: 90 }, { version: '2', weight: 10 }];
  assert.equal(pickRoute(routes, 0), '1');
  assert.equal(pickRoute(routes, 0.8999), '1');
  assert.equal(pickRoute(routes, 0.9), '2');
  assert.equal(pickRoute(routes, 0.99999), '2');
  const counts = { '1': 0, '2': 0 } as Record<string, number>;
  for (let i = 0; i < 1000; i += 1) counts[pickRoute(routes, i / 1000)] = (counts[pickRoute(routes, i / 1000)] ?? 0) + 1;
  assert.deepEqual(counts, { '1': 900, '2': 100 });
});

test('plans and names are checked with messages naming the field', () => {
  assert.throws(() => checkPlan({ traffic: [], shadow: null }), /at least one version or alias/);
  assert.throws(() => checkPlan({ traffic: [{ version: '1', weight: -1 }], shadow: null }), /traffic\[0\]\.weight must be a number >= 0/);
  assert.throws(() => checkPlan({ traffic: [{ version: 'x', weight: 1 }], shadow: null }), /traffic\[0\]\.version must be a version number/);
  assert.throws(() => checkPlan({ traffic: [{ version: '1', weight: 1 }], shadow: { alias: '' } }), /shadow\.alias/);
  checkPlan({ traffic: [{ alias: 'champion', weight: 90 }, { version: '4', weight: 10 }], shadow: { version: '5' } });
  assert.throws(() => checkDeploymentName('Iris_Prod'), /Invalid deployment name/);
  assert.throws(() => checkDeploymentName('../x'), /Invalid deployment name/);
  checkDeploymentName('iris-prod-2');
});
