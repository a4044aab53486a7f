import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDriftInput } from './drift-input.js';

const dir = mkdtempSync(join(tmpdir(), 'cairn-drift-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const rows = (n: number, row: (i: number) => string): string => Array.from({ length: n }, (_, i) => row(i)).join('\n');

test("columns are typed by Evidently's rules and read into typed arrays", async () => {
  const body = rows(40, (i) => `${i * 0.5},${i},${i % 3},${['x', 'y'][i % 2]},note ${i},${i % 2 === 0},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
  const csv = file('typed.csv', `f,wide,few,word,text,flag,day\n${body}\n`);
  const input = await readDriftInput(csv, csv);
  assert.deepEqual(input.columns.map((c) => [c.name, c.type]), [
    ['f', 'num'], ['wide', 'num'], ['few', 'cat'], ['word', 'cat'], ['text', 'text'], ['flag', 'cat'], ['day', 'datetime'],
  ]);
  const wide = input.columns[1]!.reference!;
  assert.ok(wide.kind === 'num' && wide.integer && wide.values.length === 40);
  const few = input.columns[2]!.reference!;
  assert.ok(few.kind === 'cat' && few.numericLabels && few.categories.length === 3);
  assert.equal(input.columns[4]!.reference, undefined); // text is not read unless asked for
});

test('pandas missing markers are missing, and integers with gaps are numerical', async () => {
  const csv = file('gaps.csv', `n,s\n1,a\nNA,b\n3,\n4,null\n5,a\n6,b\n7,a\n8,b\n9,a\n10,b\n11,a\n12,b\n`);
  const input = await readDriftInput(csv, csv);
  const [n, s] = input.columns;
  assert.equal(n!.type, 'num');
  assert.ok(n!.reference!.kind === 'num' && Number.isNaN(n!.reference!.values.find((v) => Number.isNaN(v)) ?? 0));
  assert.ok(s!.reference!.kind === 'cat' && s!.reference!.codes.filter((c) => c < 0).length === 2);
});

test('overrides read text as categories; an empty window yields empty columns', async () => {
  const ref = file('ref.csv', `t,v\n${rows(10, (i) => `w${i},${i}`)}\n`);
  const empty = file('empty.csv', 't,v\n');
  const input = await readDriftInput(ref, empty, { types: { t: 'cat' } });
  assert.equal(input.currentRows, 0);
  const t = input.columns[0]!;
  assert.equal(t.type, 'cat');
  assert.ok(t.current!.kind === 'cat' && t.current!.codes.length === 0);
});

test('bad input: mismatched schemas, unknown columns, unreadable and missing files', async () => {
  const a = file('a.csv', 'x,y\n1,2\n');
  const b = file('b.csv', 'x,z\n1,2\n');
  await assert.rejects(readDriftInput(a, b), /only in the reference: y; only in the current window: z/);
  await assert.rejects(readDriftInput(a, a, { columns: ['nope'] }), /unknown column: nope/);
  await assert.rejects(readDriftInput(a, a, { types: { nope: 'num' } }), /unknown column 'nope'/);
  const broken = file('broken.parquet', 'this is not parquet');
  await assert.rejects(readDriftInput(broken, a), /cannot read reference file/);
  await assert.rejects(readDriftInput(join(dir, 'missing.csv'), a), /does not exist/);
  await assert.rejects(readDriftInput(file('data.json', '{}'), a), /format/);
  const words = file('words.csv', 'x,y\nfoo,2\n');
  await assert.rejects(readDriftInput(a, words), /column 'x' is BIGINT in the reference but VARCHAR/);
});

test('Parquet: null counts come from the footer, so integers with gaps are numerical and all-null columns empty', async () => {
  const csv = file('for-parquet.csv', `n,few,none,f\n${rows(30, (i) => `${i % 7 === 0 ? '' : i},${i % 3},,${i / 4}`)}\n`);
  const parquet = join(dir, 'gaps.parquet');
  const { duckdb } = await import('./duckdb.js');
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT n, few, CAST("none" AS DOUBLE) AS "none", f FROM read_csv('${csv}')) TO '${parquet}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  const input = await readDriftInput(parquet, csv);
  assert.deepEqual(input.columns.map((c) => [c.name, c.type]), [['n', 'num'], ['few', 'cat'], ['none', 'num'], ['f', 'num']]);
  const n = input.columns[0]!.reference!;
  assert.ok(n.kind === 'num' && !n.integer && n.values.filter(Number.isNaN).length === 5);
  const none = input.columns[2]!.reference!;
  assert.ok(none.kind === 'num' && none.values.every(Number.isNaN));
});
