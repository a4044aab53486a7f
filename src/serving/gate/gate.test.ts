import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse, parseAllDocuments } from 'yaml';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { registerTinyVersion, setAlias } from '../deployments/test-models.js';
import { deploymentManifests } from '../deployments/manifests.js';
import { onnxRuntime } from '../runtime.js';
import { formatGateReport, runGate, type GateOptions } from './gate.js';
import { githubWorkflow } from './workflow.js';

describe('cairn gate against a real server', () => {
  let server: TestServer;
  let folder: string;
  let data: string;
  before(async () => {
    server = await startTestServer('sqlite');
    folder = await mkdtemp(join(tmpdir(), 'cairn-gate-test-'));
    data = join(folder, 'holdout.parquet');
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    // The tiny classifier predicts argmax(a, b); 'label' is that, except row 4 (so accuracy is 0.8).
    await connection.run(`COPY (SELECT * FROM (VALUES (0.9, 0.1, 0), (0.2, 0.8, 1), (0.7, 0.3, 0), (0.4, 0.6, 1), (0.6, 0.4, 1)) t(a, b, label)) TO '${data}' (FORMAT parquet)`);
    connection.closeSync();
    duck.closeSync();
    await registerTinyVersion(server, 'clf', 'models/clf/1');
    await registerTinyVersion(server, 'clf', 'models/clf/2');
    await registerTinyVersion(server, 'clf', 'models/clf/3', ['a', 'b', 'c']);
    await setAlias(server, 'clf', 'champion', '1');
  });
  after(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  const options = (over: Partial<GateOptions>): GateOptions => ({ model: 'clf', candidate: '2', champion: 'champion', data, label: 'label', metric: 'accuracy', minDelta: 0, maxP95LatencyMs: null, promote: null, experiment: 'cairn-gate', ...over });
  const gate = (over: Partial<GateOptions>) => runGate(options(over), { url: server.url, headers: {} }, join(folder, 'cache'), onnxRuntime());

  test('a candidate as good as the champion passes, logs both metrics, and is promoted', async () => {
    const report = await gate({ promote: 'champion', maxP95LatencyMs: 10_000 });
    assert.equal(report.passed, true, formatGateReport(report));
    assert.equal(report.candidate.evaluation?.value, 0.8);
    assert.equal(report.champion.evaluation?.value, 0.8);
    assert.equal(report.promoted, 'champion');
    const alias = await server.call('GET', 'registered-models/alias?name=clf&alias=champion');
    assert.equal(alias.body.model_version.version, '2');
    const run = await server.call('GET', `runs/get?run_id=${report.runId}`);
    const metrics = Object.fromEntries(run.body.run.data.metrics.map((m: any) => [m.key, m.value]));
    assert.equal(metrics.candidate_accuracy, 0.8);
    assert.equal(metrics.champion_accuracy, 0.8);
    assert.equal(metrics.gate_passed, 1);
    assert.equal(run.body.run.info.status, 'FINISHED');
    await setAlias(server, 'clf', 'champion', '1');
  });

  test('a required improvement that is not there fails, names the rule, and moves nothing', async () => {
    const report = await gate({ minDelta: 0.1, promote: 'champion', metric: 'f1' });
    assert.equal(report.passed, false);
    const failed = report.rules.filter((r) => !r.passed);
    assert.deepEqual(failed.map((r) => r.rule), ['f1 gain >= 0.100000']);
    assert.equal(report.promoted, null);
    assert.match(formatGateReport(report), /f1 gain >= 0\.100000 +FAIL +candidate 0\.8\d*, champion 0\.8\d*, gain 0/);
    const alias = await server.call('GET', 'registered-models/alias?name=clf&alias=champion');
    assert.equal(alias.body.model_version.version, '1');
  });

  test('a candidate whose signature breaks callers fails on the signature and on scoring', async () => {
    const report = await gate({ candidate: '3', metric: 'roc_auc' });
    assert.equal(report.passed, false);
    const failed = Object.fromEntries(report.rules.filter((r) => !r.passed).map((r) => [r.rule, r.detail]));
    assert.match(failed['signature compatible with the champion'] ?? '', /input c added: old callers do not send it/);
    assert.match(failed['candidate scores the data'] ?? '', /missing inputs \['c'\]/);
    // Positives score b - a = 0.6, 0.2, -0.2 and negatives -0.8, -0.4: every positive ranks above every negative.
    assert.equal(report.champion.evaluation?.value, 1);
  });

  test('unknown labels and files are errors naming the flag', async () => {
    await assert.rejects(gate({ label: 'nope' }), /--label nope: the data has no such column; it has a, b, label/);
    await assert.rejects(gate({ data: join(folder, 'missing.parquet') }), /no such file/);
  });
});

test('the CI workflow is valid YAML running the gate, promoting only on pushes to the branch', () => {
  const text = githubWorkflow({ model: 'iris', candidate: 'challenger', champion: 'champion', data: 'data/holdout.parquet', label: 'species', metric: 'f1', minDelta: 0.01, maxP95LatencyMs: 50, promote: 'champion', branch: 'main' });
  const doc = parse(text);
  const steps = doc.jobs.gate.steps as { run?: string }[];
  const run = steps.at(-1)?.run ?? '';
  assert.match(run, /cairn gate --model iris --candidate challenger --champion champion --data data\/holdout.parquet --label species --metric f1 --min-delta 0.01 --max-p95-latency-ms 50 \$PROMOTE/);
  assert.match(run, /refs\/heads\/main.*--promote champion/);
  assert.deepEqual(doc.on.push.branches, ['main']);
  assert.equal(doc.jobs.gate.env.MLFLOW_TRACKING_URI, '${{ secrets.MLFLOW_TRACKING_URI }}');
});

test('manifests parse, run the deployment\'s model URI, and probe /ping and /health', () => {
  const m = deploymentManifests({ name: 'iris-prod', model: 'iris', traffic: [{ alias: 'champion', weight: 100 }], shadow: null }, { image: 'registry.example/cairn:1', trackingUri: 'http://cairn:5000', tokenSecret: 'cairn-token', namespace: 'ml', port: 5001, minReplicas: 2, maxReplicas: 5, cpuTargetPercent: 70 });
  assert.equal(m.modelUri, 'models:/iris@champion');
  const docs = parseAllDocuments(m.files['kubernetes.yaml'] ?? '').map((d) => d.toJS());
  assert.deepEqual(docs.map((d) => d.kind), ['Deployment', 'Service', 'HorizontalPodAutoscaler']);
  const [deployment, service, hpa] = docs;
  const container = deployment.spec.template.spec.containers[0];
  assert.deepEqual(container.args, ['models:/iris@champion', '--host', '0.0.0.0', '--port', '5001']);
  assert.equal(container.readinessProbe.httpGet.path, '/ping');
  assert.equal(container.livenessProbe.httpGet.path, '/health');
  assert.equal(container.startupProbe.httpGet.path, '/ping');
  assert.equal(container.ports[0].containerPort, 5001);
  assert.deepEqual(container.env.find((e: any) => e.name === 'MLFLOW_TRACKING_TOKEN').valueFrom.secretKeyRef, { name: 'cairn-token', key: 'MLFLOW_TRACKING_TOKEN' });
  assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
  assert.equal(hpa.spec.scaleTargetRef.name, 'iris-prod');
  assert.equal(hpa.spec.maxReplicas, 5);
  assert.ok(docs.every((d) => d.metadata.namespace === 'ml' && d.metadata.name === 'iris-prod'));
  const dockerfile = m.files['Dockerfile'] ?? '';
  assert.match(dockerfile, /^ENTRYPOINT \["cairn", "serve"\]$/m);
  assert.match(dockerfile, /^CMD \["models:\/iris@champion","--host","0.0.0.0","--port","5001"\]$/m);
  assert.match(dockerfile, /HEALTHCHECK .*\/ping/);
  const canary = deploymentManifests({ name: 'c', model: 'iris', traffic: [{ version: '3', weight: 10 }, { version: '2', weight: 90 }], shadow: null }, { image: 'x', trackingUri: 'http://c', tokenSecret: null, namespace: null, port: 8080, minReplicas: 1, maxReplicas: 1, cpuTargetPercent: 50 });
  assert.equal(canary.modelUri, 'models:/iris/2');
  assert.equal(canary.notes.length, 1);
});
