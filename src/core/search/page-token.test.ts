import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../errors.js';
import { decodePageToken, decodePageTokenObject, encodePageToken } from './page-token.js';

const rejects = (token: string) =>
  assert.throws(() => decodePageToken(token), (e: unknown) => e instanceof CairnError && e.code === 'INVALID_PARAMETER_VALUE' && e.message.startsWith('Invalid page token'));

test('a token is base64 of {"offset": N}, as MLflow makes it', () => {
  const token = encodePageToken(300);
  assert.equal(Buffer.from(token, 'base64').toString('utf8'), '{"offset":300}');
  assert.equal(decodePageToken(token), 300);
  // MLflow's own tokens (Python json.dumps puts a space after the colon) decode too.
  assert.equal(decodePageToken(Buffer.from('{"offset": 7}').toString('base64')), 7);
});

test('no token means the first page', () => {
  assert.equal(decodePageToken(undefined), 0);
  assert.equal(decodePageToken(''), 0);
});

test('extra fields ride along', () => {
  const token = encodePageToken(5, { filter_string: 'x' });
  assert.deepEqual(decodePageTokenObject(token), { offset: 5, filter_string: 'x' });
});

test('malformed tokens are INVALID_PARAMETER_VALUE "Invalid page token"', () => {
  rejects('not base64!');
  rejects(Buffer.from('not json').toString('base64'));
  rejects(Buffer.from('[1]').toString('base64'));
  rejects(Buffer.from('{"offset": -1}').toString('base64'));
  rejects(Buffer.from('{"offset": 1.5}').toString('base64'));
  rejects(Buffer.from('{"other": 1}').toString('base64'));
});
