// Seeds a cairn server through its MLflow REST API with what the browser tests look at.

const API = '/api/2.0/mlflow';

/** Calls one MLflow endpoint, throwing with the server's message on a non-2xx answer. */
export async function callApi(baseUrl, method, path, body) {
  const url = new URL(`${API}/${path}`, baseUrl);
  const init = { method, headers: {} };
  if (method === 'GET') {
    for (const [key, value] of Object.entries(body ?? {})) url.searchParams.set(key, String(value));
  } else {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
async function inParallel(items, concurrency, work) {
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Zero-padded run name, so names sort the same as their numbers. */
export function bigRunName(index) {
  return `run-${String(index).padStart(5, '0')}`;
}

/**
 * A permutation of 0..count-1 scaled to [0, 1): 7919 is prime and shares no factor with
 * 10,000, so exactly the runs with (i * 7919) % count > count / 2 have acc > 0.5.
 */
export function bigRunAccuracy(index, count) {
  return ((index * 7919) % count) / count;
}

/** Creates an experiment holding `count` runs, each with three params and two metrics. */
export async function seedBigExperiment(baseUrl, count, { concurrency = 24 } = {}) {
  const { experiment_id: experimentId } = await callApi(baseUrl, 'POST', 'experiments/create', { name: 'ui-big' });
  const startBase = Date.UTC(2025, 0, 1);
  const indexes = Array.from({ length: count }, (_, index) => index);
  const runIds = new Array(count);
  await inParallel(indexes, concurrency, async (index) => {
    const startTime = startBase + index * 1000;
    const { run } = await callApi(baseUrl, 'POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: bigRunName(index),
      start_time: startTime,
      user_id: 'seeder',
    });
    runIds[index] = run.info.run_id;
    const acc = bigRunAccuracy(index, count);
    await callApi(baseUrl, 'POST', 'runs/log-batch', {
      run_id: run.info.run_id,
      params: [
        { key: 'lr', value: String([0.1, 0.01, 0.001][index % 3]) },
        { key: 'batch_size', value: String([32, 64, 128, 256][index % 4]) },
        { key: 'optimizer', value: index % 2 ? 'adam' : 'sgd' },
      ],
      metrics: [
        { key: 'acc', value: acc, timestamp: startTime + 500, step: 10 },
        { key: 'loss', value: 1 - acc, timestamp: startTime + 500, step: 10 },
      ],
    });
  });
  return { experimentId, runIds };
}

/** Uploads one artifact file with PUT, as the MLflow client does in proxy mode. */
async function putArtifact(baseUrl, artifactUri, relativePath, body, contentType) {
  const root = artifactUri.replace(/^mlflow-artifacts:\/*/, '');
  const response = await fetch(new URL(`/api/2.0/mlflow-artifacts/artifacts/${root}/${relativePath}`, baseUrl), {
    method: 'PUT',
    headers: { 'Content-Type': contentType },
    body,
  });
  if (!response.ok) throw new Error(`PUT artifact ${relativePath} answered ${response.status}: ${await response.text()}`);
}

export const NOTES_TEXT = 'cairn artifact preview check: the quick brown fox\nsecond line';
const CHART_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#2563eb"/>' +
  '<text x="10" y="35" fill="white">cairn</text></svg>';

/**
 * Creates a small experiment of three finished runs with 50-step metric histories, different
 * params, and artifacts (a text file, a JSON file, an SVG in a folder) on the first run.
 */
export async function seedDemoExperiment(baseUrl) {
  const { experiment_id: experimentId } = await callApi(baseUrl, 'POST', 'experiments/create', { name: 'ui-demo' });
  const startTime = Date.UTC(2025, 5, 1, 12);
  const runs = [];
  for (const [index, settings] of [
    { lr: '0.1', depth: '4', optimizer: 'sgd' },
    { lr: '0.01', depth: '6', optimizer: 'adam' },
    { lr: '0.001', depth: '8', optimizer: 'adam' },
  ].entries()) {
    const { run } = await callApi(baseUrl, 'POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: `demo-${index + 1}`,
      start_time: startTime + index * 60_000,
      user_id: 'alice',
      tags: [{ key: 'team', value: 'vision' }],
    });
    const metrics = [];
    for (let step = 0; step < 50; step += 1) {
      const progress = step / 49;
      metrics.push({ key: 'loss', value: (1.5 - index * 0.3) * Math.exp(-3 * progress) + 0.05, timestamp: startTime + step * 1000, step });
      metrics.push({ key: 'accuracy', value: 0.5 + 0.45 * progress * (1 - index * 0.1), timestamp: startTime + step * 1000, step });
    }
    await callApi(baseUrl, 'POST', 'runs/log-batch', {
      run_id: run.info.run_id,
      params: Object.entries(settings).map(([key, value]) => ({ key, value })),
      metrics,
    });
    await callApi(baseUrl, 'POST', 'runs/update', {
      run_id: run.info.run_id,
      status: 'FINISHED',
      end_time: startTime + index * 60_000 + 50_000,
    });
    runs.push(run);
  }
  const first = runs[0];
  await putArtifact(baseUrl, first.info.artifact_uri, 'notes.txt', NOTES_TEXT, 'text/plain');
  await putArtifact(baseUrl, first.info.artifact_uri, 'config.json', '{"layers":[64,32],"dropout":0.2}', 'application/json');
  await putArtifact(baseUrl, first.info.artifact_uri, 'plots/chart.svg', CHART_SVG, 'image/svg+xml');
  return { experimentId, runIds: runs.map((run) => run.info.run_id) };
}

/** Registers a model with one version sourced from a run, and points the alias "champion" at it. */
export async function seedRegisteredModel(baseUrl, run) {
  const name = 'demo-classifier';
  await callApi(baseUrl, 'POST', 'registered-models/create', { name, description: 'Classifies demo images.' });
  await callApi(baseUrl, 'POST', 'model-versions/create', {
    name,
    source: `${run.artifactUri}/model`,
    run_id: run.runId,
  });
  await callApi(baseUrl, 'POST', 'registered-models/alias', { name, alias: 'champion', version: '1' });
  return { name };
}
