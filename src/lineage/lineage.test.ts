import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineageNode } from '../core/lineage.js';
import { describeEachDialect } from '../testing/dialects.js';
import { rejectsWith } from '../testing/assertions.js';
import { Lineage } from './graph.js';

const data = lineageNode.dataset('churn', 'abc123');
const run = lineageNode.run('r1');
const model = lineageNode.loggedModel('m-1');
const v1 = lineageNode.modelVersion('churn-model', 1);
const deployment = lineageNode.deployment('churn-prod');

describeEachDialect('lineage graph', ({ db }) => {
  let lineage: Lineage;

  test('records a chain from dataset to deployment, each edge once', async () => {
    lineage = new Lineage(db());
    await lineage.record({ from: data, to: run, kind: 'input' });
    await lineage.record({ from: data, to: run, kind: 'input' });
    await lineage.record({ from: run, to: model, kind: 'output' });
    await lineage.record({ from: model, to: v1, kind: 'registered' });
    await lineage.record({ from: v1, to: deployment, kind: 'served' });
    const graph = await lineage.graph(data, { direction: 'downstream', depth: 10 });
    assert.equal(graph.recorded, true);
    assert.deepEqual(graph.nodes.map((n) => [n.id, n.depth, n.side]), [[data, 0, 'self'], [run, 1, 'downstream'], [model, 2, 'downstream'], [v1, 3, 'downstream'], [deployment, 4, 'downstream']]);
    assert.equal(graph.edges.length, 4);
  });

  test('the depth limit stops the walk, upstream and downstream', async () => {
    const near = await lineage.graph(data, { direction: 'downstream', depth: 2 });
    assert.deepEqual(near.nodes.map((n) => n.id), [data, run, model]);
    assert.deepEqual(near.edges.map((e) => e.kind).sort(), ['input', 'output']);
    const up = await lineage.graph(deployment, { direction: 'upstream', depth: 2 });
    assert.deepEqual(up.nodes.map((n) => n.id), [deployment, v1, model]);
    const both = await lineage.graph(model, { direction: 'both', depth: 1 });
    assert.deepEqual(both.nodes.map((n) => `${n.side}:${n.id}`).sort(), [`downstream:${v1}`, `self:${model}`, `upstream:${run}`].sort());
  });

  test('impact lists the model versions and the deployments that serve them now', async () => {
    const impact = await lineage.impact(data);
    assert.deepEqual(impact.modelVersions, [{ id: v1, name: 'churn-model', version: '1', depth: 3 }]);
    assert.deepEqual(impact.deployments, [{ id: deployment, name: 'churn-prod', depth: 4 }]);
    assert.deepEqual(impact.runs.map((r) => r.runId), ['r1']);
  });

  test('an ended edge leaves impact but stays in history; recording it again restores it', async () => {
    await lineage.end({ from: v1, to: deployment, kind: 'served' });
    assert.deepEqual((await lineage.impact(data)).deployments, []);
    const history = await lineage.graph(v1, { direction: 'downstream', depth: 1 });
    assert.equal(history.edges[0]?.endedAt !== null, true);
    const current = await lineage.graph(v1, { direction: 'downstream', depth: 1, includeEnded: false });
    assert.deepEqual(current.edges, []);
    await lineage.record({ from: v1, to: deployment, kind: 'served' });
    assert.equal((await lineage.impact(data)).deployments.length, 1);
  });

  test('a cycle ends at the depth limit, and each node appears once at its nearest depth', async () => {
    await lineage.record({ from: 'pipeline_step:a', to: 'pipeline_step:b', kind: 'derived' });
    await lineage.record({ from: 'pipeline_step:b', to: 'pipeline_step:a', kind: 'derived' });
    const graph = await lineage.graph('pipeline_step:a', { direction: 'downstream', depth: 50 });
    assert.deepEqual(graph.nodes.map((n) => [n.id, n.depth]), [['pipeline_step:a', 0], ['pipeline_step:b', 1]]);
    assert.equal(graph.edges.length, 2);
  });

  test('a diamond reaches the shared node once', async () => {
    const d = lineageNode.dataset('features', 'f1');
    await lineage.record({ from: d, to: lineageNode.run('r2'), kind: 'input' });
    await lineage.record({ from: d, to: lineageNode.run('r3'), kind: 'input' });
    await lineage.record({ from: lineageNode.run('r2'), to: lineageNode.modelVersion('ens', 1), kind: 'registered' });
    await lineage.record({ from: lineageNode.run('r3'), to: lineageNode.modelVersion('ens', 1), kind: 'registered' });
    const impact = await lineage.impact(d);
    assert.deepEqual(impact.modelVersions.map((m) => m.id), [lineageNode.modelVersion('ens', 1)]);
    assert.equal(impact.runs.length, 2);
  });

  test('a node nobody recorded answers with itself alone', async () => {
    const graph = await lineage.graph(lineageNode.run('never'));
    assert.equal(graph.recorded, false);
    assert.deepEqual(graph.nodes.map((n) => n.id), [lineageNode.run('never')]);
  });

  test('node lists filter by type and id prefix', async () => {
    const runs = await lineage.nodes({ type: 'run' });
    assert.deepEqual(runs.map((n) => n.id).sort(), ['run:r1', 'run:r2', 'run:r3']);
    const prefixed = await lineage.nodes({ prefix: 'dataset:churn@' });
    assert.deepEqual(prefixed.map((n) => n.id), [data]);
  });

  test('bad ids, kinds and depths are clear 400s', async () => {
    await rejectsWith(lineage.graph('dataset:no-digest'), 'INVALID_PARAMETER_VALUE', /dataset:<name>@<digest>/);
    await rejectsWith(lineage.graph('table:x'), 'INVALID_PARAMETER_VALUE', /a lineage node is one of/);
    await rejectsWith(lineage.graph(run, { depth: 51 }), 'INVALID_PARAMETER_VALUE', /depth/);
    await rejectsWith(lineage.record({ from: run, to: run, kind: 'input' }), 'INVALID_PARAMETER_VALUE', /two different nodes/);
    await rejectsWith(lineage.record({ from: run, to: model, kind: 'made' as never }), 'INVALID_PARAMETER_VALUE', /kind/);
    await rejectsWith(lineage.graph('model_version:m/0'), 'INVALID_PARAMETER_VALUE', /model_version:<name>\/<version>/);
  });
});
