import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CairnError } from '../core/errors.js';
import { decodeCsvRequest, decodeJsonRequest } from './decode.js';
import { readModelPackage } from './packaging.js';
import { onnxRuntime } from './runtime.js';
import { tinyClassifier, tinyMlmodel } from './testing/tiny-onnx.js';

const COLUMNS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)'];

async function modelFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-runtime-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

function softmax(row: number[]): number[] {
  const exps = row.map((x) => Math.exp(x - Math.max(...row)));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function assertClassified(predictions: unknown, rows: number[][]): void {
  assert.ok(Array.isArray(predictions));
  assert.equal(predictions.length, rows.length);
  rows.forEach((row, i) => {
    const p = predictions[i] as { label: number; probabilities: number[] };
    assert.equal(p.label, row.indexOf(Math.max(...row)));
    softmax(row).forEach((expected, j) => assert.ok(Math.abs((p.probabilities[j] as number) - expected) < 1e-6, `row ${i} class ${j}`));
  });
}

test('an MLflow onnx-flavor folder scores every request format the same way', async () => {
  const dir = await modelFolder({ MLmodel: tinyMlmodel(COLUMNS), 'model.onnx': tinyClassifier(3) });
  try {
    const model = await onnxRuntime().load(await readModelPackage(dir), 'tiny');
    const rows = [
      [1, 2, 3],
      [3, 0.5, -1],
    ];
    const records = rows.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]])));
    const bodies = [
      { dataframe_split: { columns: COLUMNS, data: rows } },
      // Column order in the request does not matter; the signature's order is used.
      { dataframe_split: { columns: [...COLUMNS].reverse(), data: rows.map((r) => [...r].reverse()) } },
      { dataframe_records: records },
      { instances: records },
      { instances: rows },
      { inputs: rows },
      { inputs: Object.fromEntries(COLUMNS.map((c, i) => [c, rows.map((r) => r[i])])) },
      { dataframe_records: records.map((r) => ({ ...r, extra: 'ignored' })) },
    ];
    for (const body of bodies) assertClassified(await model.predict(decodeJsonRequest(JSON.stringify(body))), rows);
    const csv = `${COLUMNS.map((c) => `"${c}"`).join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    assertClassified(await model.predict(decodeCsvRequest(csv)), rows);
    await model.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad input is a BAD_REQUEST naming the column', async () => {
  const dir = await modelFolder({ MLmodel: tinyMlmodel(COLUMNS), 'model.onnx': tinyClassifier(3) });
  try {
    const model = await onnxRuntime().load(await readModelPackage(dir), 'tiny');
    const cases: [unknown, RegExp][] = [
      [{ dataframe_split: { columns: COLUMNS.slice(0, 2), data: [[1, 2]] } }, /missing inputs \['petal length \(cm\)'\]/],
      [{ dataframe_records: [{ 'sepal length (cm)': 1, 'sepal width (cm)': 'x', 'petal length (cm)': 1 }] }, /column 'sepal width \(cm\)'.*expects float/],
      [{ dataframe_records: [{ 'sepal length (cm)': null, 'sepal width (cm)': 1, 'petal length (cm)': 1 }] }, /'sepal length \(cm\)' row 0 is missing/],
      [{ instances: [[1, 2]] }, /2 unnamed columns but the model signature has 3/],
      [{ inputs: { 'sepal length (cm)': [1, 2], 'sepal width (cm)': [1], 'petal length (cm)': [1, 2] } }, /length of values/],
      [{ dataframe_split: { data: [] } }, /no rows/],
    ];
    for (const [body, pattern] of cases) {
      await assert.rejects(model.predict(decodeJsonRequest(JSON.stringify(body))), (e: unknown) => e instanceof CairnError && e.code === 'BAD_REQUEST' && pattern.test(e.message));
    }
    const nan = '{"dataframe_split": {"columns": ["sepal length (cm)", "sepal width (cm)", "petal length (cm)"], "data": [[NaN, 1, 2]]}}';
    await assert.rejects(model.predict(decodeJsonRequest(nan)), /'sepal length \(cm\)' row 0 is missing \(null or NaN\)/);
    await model.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a plain folder with one .onnx file and no signature feeds the graph input directly', async () => {
  const dir = await modelFolder({ 'classifier.onnx': tinyClassifier(2, 'features') });
  try {
    const model = await onnxRuntime().load(await readModelPackage(dir), 'plain');
    assertClassified(await model.predict(decodeJsonRequest('{"inputs": [[0.1, 0.9], [2, 1]]}')), [
      [0.1, 0.9],
      [2, 1],
    ]);
    await assert.rejects(model.predict(decodeJsonRequest('{"inputs": [[1, 2, 3]]}')), /\[1, 3\] does not match the expected shape \[-1, 2\]/);
    await assert.rejects(model.predict(decodeJsonRequest('{"inputs": [[1, true]]}')), /not a valid float32/);
    await model.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a pickled scikit-learn version is refused with the flavors cairn runs and how to export', async () => {
  const mlmodel = 'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\n    serialization_format: cloudpickle\n';
  const dir = await modelFolder({ MLmodel: mlmodel, 'model.pkl': 'not read' });
  try {
    await assert.rejects(readModelPackage(dir), (e: unknown) => e instanceof CairnError && /flavor is "sklearn"/.test(e.message) && /mlflow\.onnx\.log_model/.test(e.message) && /skl2onnx/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a damaged ONNX file is refused at load time, not when scoring', async () => {
  const bytes = tinyClassifier(3);
  const dir = await modelFolder({ MLmodel: tinyMlmodel(COLUMNS), 'model.onnx': bytes.slice(0, bytes.length - 20) });
  try {
    await assert.rejects(async () => onnxRuntime().load(await readModelPackage(dir), 'broken'), (e: unknown) => e instanceof CairnError && /onnxruntime cannot load/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an onnx flavor whose data path leaves the folder is refused', async () => {
  const dir = await modelFolder({ MLmodel: 'flavors:\n  onnx:\n    data: ../../etc/passwd\n' });
  await mkdir(join(dir, 'sub'));
  try {
    await assert.rejects(readModelPackage(dir), /points outside the model folder/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
