import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PYTHON } from '../test-support.js';
import { compareCodePoints, manifestOid, parseManifest, serializeManifest } from './dir-manifest.js';

test('the manifest of the dvc.org cache example hashes to its documented .dir id', () => {
  const bytes = serializeManifest([
    { md5: '402e97968614f583ece3b35555971f64', relpath: 'index.jpeg' },
    { md5: 'de7371b0119f4f75f9de703c7c3bac16', relpath: 'cat.jpeg' },
  ]);
  assert.equal(bytes.toString(), '[{"md5": "de7371b0119f4f75f9de703c7c3bac16", "relpath": "cat.jpeg"}, {"md5": "402e97968614f583ece3b35555971f64", "relpath": "index.jpeg"}]');
  assert.equal(manifestOid(bytes), '6fdb5336fce0dbfd669f83065f107551.dir');
});

test('non-ASCII and control characters serialise exactly as Python json.dumps(sort_keys=True)', { skip: PYTHON === undefined ? 'no .venv python' : false }, () => {
  const names = ['naïve ü.txt', '日本/語.csv', 'emoji😀', 'tab\t"q"\\', 'del\u007f', 'a-b/x', 'a/b', 'Z', 'ｚ', '\ue000'];
  const entries = names.map((relpath, i) => ({ md5: `${String(i).padStart(32, '0')}`, relpath }));
  const py = spawnSync(PYTHON as string, ['-c', 'import json,sys; l=json.load(sys.stdin); sys.stdout.write(json.dumps(sorted(l, key=lambda e: e["relpath"]), sort_keys=True))'], { input: JSON.stringify(entries), encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  assert.equal(serializeManifest(entries).toString('utf8'), py.stdout);
  assert.deepEqual(parseManifest(serializeManifest(entries), 'm').map((e) => e.relpath), [...names].sort(compareCodePoints));
});

test('a manifest entry that climbs out of its folder is refused', () => {
  assert.throws(() => parseManifest(Buffer.from('[{"md5": "d41d8cd98f00b204e9800998ecf8427e", "relpath": "../evil"}]'), 'm.dir'), /invalid entry/);
});
