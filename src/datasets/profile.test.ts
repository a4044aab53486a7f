import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { profileTableFile, tableFormatOf, type ColumnProfile, type TableProfile } from './profile.js';

let folder: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cairn-profile-test-'));
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Linear-interpolation quantile (numpy's default, DuckDB's quantile_cont). */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

const column = (p: TableProfile, name: string): ColumnProfile => {
  const found = p.columns.find((c) => c.name === name);
  assert.ok(found, `no column ${name}`);
  return found;
};

const ages = [31, 45, null, 22, 60, 38, null, 51, 29, 44];
const cities = ['Oslo', 'Lima', 'Oslo', null, 'Pune', 'Oslo', 'Lima', 'Kyiv', 'Oslo', 'Lima'];

test('a CSV profile: rows, null shares, distinct counts, moments, quantiles and top values', async () => {
  const file = join(folder, 'people.csv');
  const lines = ['age,city,joined,score', ...ages.map((a, i) => `${a ?? ''},${cities[i] ?? ''},2024-01-${String(10 + i)},${(i * 0.5).toFixed(1)}`)];
  await writeFile(file, `${lines.join('\n')}\n`);
  const p = await profileTableFile(file, 'csv');
  assert.equal(p.rows, 10);
  assert.deepEqual(p.columns.map((c) => c.kind), ['numeric', 'categorical', 'temporal', 'numeric']);

  const present = ages.filter((a): a is number => a !== null);
  const sorted = [...present].sort((a, b) => a - b);
  const mean = present.reduce((s, x) => s + x, 0) / present.length;
  const std = Math.sqrt(present.reduce((s, x) => s + (x - mean) ** 2, 0) / (present.length - 1));
  const age = column(p, 'age');
  assert.equal(age.nullCount, 2);
  assert.equal(age.nullShare, 0.2);
  assert.equal(age.distinct, 8);
  assert.equal(age.min, 22);
  assert.equal(age.max, 60);
  assert.ok(Math.abs((age.mean ?? NaN) - mean) < 1e-9);
  assert.ok(Math.abs((age.std ?? NaN) - std) < 1e-9);
  for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) assert.ok(Math.abs((age.quantiles?.[String(q)] ?? NaN) - quantile(sorted, q)) < 1e-9, `quantile ${q}`);

  const city = column(p, 'city');
  assert.equal(city.nullShare, 0.1);
  assert.equal(city.distinct, 4);
  assert.deepEqual(city.top, [{ value: 'Oslo', count: 4 }, { value: 'Lima', count: 3 }, { value: 'Kyiv', count: 1 }, { value: 'Pune', count: 1 }]);

  const joined = column(p, 'joined');
  assert.equal(joined.min, '2024-01-10');
  assert.equal(joined.max, '2024-01-19');
});

test('Parquet and JSON lines files profile the same way', async () => {
  const parquet = join(folder, 'numbers.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT range AS n, range % 3 = 0 AS fizz FROM range(100)) TO '${parquet}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  const p = await profileTableFile(parquet, 'parquet');
  assert.equal(p.rows, 100);
  assert.equal(column(p, 'n').mean, 49.5);
  assert.equal(column(p, 'n').quantiles?.['0.5'], 49.5);
  assert.deepEqual(column(p, 'fizz').top, [{ value: 'false', count: 66 }, { value: 'true', count: 34 }]);

  const jsonl = join(folder, 'events.jsonl');
  await writeFile(jsonl, '{"kind": "click", "ms": 10}\n{"kind": "view", "ms": null}\n{"kind": "click", "ms": 30}\n');
  const j = await profileTableFile(jsonl, 'jsonl');
  assert.equal(j.rows, 3);
  assert.equal(column(j, 'ms').mean, 20);
  assert.equal(column(j, 'ms').nullShare, 1 / 3);
  assert.equal(column(j, 'kind').distinct, 2);
});

test('an empty table has zero null share, and a file that is not a table is a clear error', async () => {
  const empty = join(folder, 'empty.csv');
  await writeFile(empty, 'a,b\n');
  const p = await profileTableFile(empty, 'csv');
  assert.equal(p.rows, 0);
  assert.ok(p.columns.every((c) => c.nullShare === 0));
  const broken = join(folder, 'broken.parquet');
  await writeFile(broken, 'not parquet at all');
  await assert.rejects(profileTableFile(broken, 'parquet'), /parquet|magic|Invalid/i);
});

test('table formats are told by file name', () => {
  assert.equal(tableFormatOf('a/b/train.CSV'), 'csv');
  assert.equal(tableFormatOf('x.csv.gz'), 'csv');
  assert.equal(tableFormatOf('x.parquet'), 'parquet');
  assert.equal(tableFormatOf('x.ndjson'), 'jsonl');
  assert.equal(tableFormatOf('image.png'), undefined);
});
