import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { PYTHON } from '../test-support.js';
import { parseDvcFile, serializeDvcFile, type DvcFile } from './dvcfile.js';

// ruamel.yaml as DVC configures it (dvc/utils/serialize/_yaml.py: YAML(), default_flow_style=False).
const RUAMEL = `
import io, json, sys
from ruamel.yaml import YAML
y = YAML(); y.default_flow_style = False
out = []
for doc in json.load(sys.stdin):
    s = io.StringIO(); y.dump(doc, s); out.append(s.getvalue())
json.dump(out, sys.stdout)
`;

function ruamelDump(docs: unknown[]): string[] {
  const r = spawnSync(PYTHON as string, ['-c', RUAMEL], { input: JSON.stringify(docs), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

function pointer(path: string, md5: string, extra: Record<string, string> = {}): DvcFile {
  return { outs: [{ path, md5, size: 3, nfiles: undefined, isexec: false, extra }], wdir: undefined, extra: {} };
}

const TRICKY_PATHS = [
  'data', 'föö.txt', '#x[1].txt', 'a: b', 'a #b', '- x', '-x', '?x', ':x', "it's", 'null', 'true', '1.0', '1e5', '0x1F', '2020-01-01',
  '~', '=', '<<', 'tab\there', 'new\nline', ' lead', 'trail ', 'x'.repeat(90), 'a '.repeat(50), "it's ".repeat(20), 'dir/sub dir/file name.csv',
  'a'.repeat(70) + ' ' + 'b'.repeat(20), '"quoted"', 'back\\slash', '日本語/データ.csv', 'emoji 😀.png', '@at', '`tick', '%pct', '!bang', '&amp', '*star', '|pipe', '>gt',
  '---', '...', 'a,b', '[x]', '{y}', '\u00a0nbsp', 'ctrl\u0001char', 'x'.repeat(75) + "'s q " + 'y'.repeat(10),
];

const SKIP = PYTHON === undefined ? 'the .venv Python with ruamel.yaml is not installed' : false;

test('pointer files are byte-identical to ruamel.yaml for tricky paths', { skip: SKIP }, () => {
  const docs = TRICKY_PATHS.map((p) => pointer(p, 'd41d8cd98f00b204e9800998ecf8427e'));
  const expected = ruamelDump(docs.map((d) => ({ outs: [{ md5: d.outs[0]?.md5, size: 3, hash: 'md5', path: d.outs[0]?.path }] })));
  docs.forEach((d, i) => assert.equal(serializeDvcFile(d), expected[i], `path ${JSON.stringify(TRICKY_PATHS[i])}`));
});

test('md5 values that look like numbers are quoted as ruamel quotes them', { skip: SKIP }, () => {
  const md5s = ['12345678901234567890123456789012', '1234567890123456789012345678e901', '00000000000000000000000000000000', '0e123456789012345678901234567890'];
  const expected = ruamelDump(md5s.map((m) => ({ outs: [{ md5: m, size: 3, hash: 'md5', path: 'x' }] })));
  md5s.forEach((m, i) => assert.equal(serializeDvcFile(pointer('x', m)), expected[i]));
});

test('random paths match ruamel.yaml and read back unchanged', { skip: SKIP }, () => {
  const pieces = fc.constantFrom('a', 'B', ' ', ':', '#', "'", '"', '-', '?', ',', '[', '{', '.', '/', '\\', 'é', '日', '😀', '\t', '1', 'e', '_', '~');
  const paths = fc.sample(fc.array(pieces, { minLength: 1, maxLength: 120 }).map((xs) => xs.join('')), { numRuns: 400, seed: 42 });
  const expected = ruamelDump(paths.map((p) => ({ outs: [{ md5: 'd41d8cd98f00b204e9800998ecf8427e', size: 3, hash: 'md5', path: p }] })));
  paths.forEach((p, i) => {
    const text = serializeDvcFile(pointer(p, 'd41d8cd98f00b204e9800998ecf8427e'));
    assert.equal(text, expected[i], `path ${JSON.stringify(p)}`);
    assert.equal(parseDvcFile(text, 'x.dvc').outs[0]?.path, p, `read back ${JSON.stringify(p)}`);
  });
});

test('fields cairn does not interpret survive a rewrite, in DVC order', () => {
  const text = 'outs:\n- md5: d41d8cd98f00b204e9800998ecf8427e\n  size: 0\n  hash: md5\n  path: e.txt\n  desc: the empty file # a comment\n  remote: backup\n  push: false\n';
  const file = parseDvcFile(text, 'e.txt.dvc');
  assert.deepEqual(file.outs[0]?.extra, { desc: 'the empty file', remote: 'backup', push: false });
  assert.equal(serializeDvcFile(file), text.replace(' # a comment', ''));
});

test('a DVC 2.x pointer (no hash: md5) is refused with a clear message', () => {
  assert.throws(() => parseDvcFile('outs:\n- md5: d41d8cd98f00b204e9800998ecf8427e\n  path: x\n', 'x.dvc'), /DVC 2\.x hash/);
});
