import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { parseCommonPointer } from './pointer-fast.js';

const dvcAddOutput = 'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551.dir\n  size: 51200000\n  nfiles: 20000\n  hash: md5\n  path: data\n';

test('the pointer dvc add writes for a folder is read without the YAML parser, to the same value', () => {
  assert.deepEqual(parseCommonPointer(dvcAddOutput), parse(dvcAddOutput));
});

test('values whose YAML meaning is not plain go to the full parser', () => {
  const cases = [
    'outs:\n- md5: 12345678901234567890123456789012\n  hash: md5\n  path: x\n', // all digits: YAML reads a number
    'outs:\n- md5: 1e345678901234567890123456789012\n  hash: md5\n  path: x\n', // digits and e: a float
    'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551\n  hash: md5\n  path: "true"\n',
    'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551\n  hash: md5\n  path: true\n',
    'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551\n  hash: md5\n  path: 2024\n',
    'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551\n  hash: md5\n  path: a b\n',
    'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551\n  hash: md5\n  path: x\n  desc: notes\n',
    'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551\n  path: x\n  path: y\n',
    'outs:\r\n- md5: 6fdb5336fce0dbfd669f83065f107551\r\n  hash: md5\r\n  path: x\r\n',
    'outs:\n- path: x\n- path: y\n',
    '# a comment\nouts:\n- path: x\n',
  ];
  for (const text of cases) assert.equal(parseCommonPointer(text), undefined, text);
});

test('whenever the fast reader answers, the YAML parser gives the same document', () => {
  const tricky = fc.oneof(
    fc.constantFrom('true', 'false', 'null', 'True', '~', '.inf', 'yes', 'on', '0x1f', '0o17', '1e5', '-1', '07', 'md5'),
    fc.stringMatching(/^[A-Za-z0-9_.\/:#-]{1,12}$/),
  );
  const field = (valid: fc.Arbitrary<string>) => fc.option(fc.oneof(valid, tricky), { nil: undefined });
  const document = fc.record({
    md5: field(fc.stringMatching(/^[0-9a-f]{32}(\.dir)?$/)),
    size: field(fc.stringMatching(/^[0-9]{1,16}$/)),
    nfiles: field(fc.stringMatching(/^[0-9]{1,6}$/)),
    isexec: field(fc.constantFrom('true', 'false')),
    hash: field(fc.constant('md5')),
    path: fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.\/-]{0,15}$/), tricky),
  });
  let answered = 0;
  fc.assert(
    fc.property(document, (fields) => {
      const lines = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v], i) => `${i === 0 ? '- ' : '  '}${k}: ${v}`);
      const text = `outs:\n${lines.join('\n')}\n`;
      const fast = parseCommonPointer(text);
      if (fast === undefined) return;
      answered++;
      assert.deepEqual(fast, parse(text, { uniqueKeys: true }));
    }),
    { numRuns: 3000 },
  );
  // The comparison means something only if the fast reader did answer often.
  assert.ok(answered > 100, `the fast reader answered ${answered} of 3000 documents`);
});
