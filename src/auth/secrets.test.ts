import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashSecret, newSecret, parseLifetime, sameSecret, TOKEN_PREFIX } from './secrets.js';

test('tokens carry the cairn_ prefix and 32 random bytes; the stored form is their sha256', () => {
  const a = newSecret(TOKEN_PREFIX);
  const b = newSecret(TOKEN_PREFIX);
  assert.match(a, /^cairn_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b);
  assert.match(hashSecret(a), /^[0-9a-f]{64}$/);
  assert.equal(hashSecret(a), hashSecret(a));
  assert.notEqual(hashSecret(a), hashSecret(b));
  assert.equal(hashSecret(a).includes(a.slice(6, 20)), false);
});

test('secrets compare equal only when identical, whatever their lengths', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abc', 'abd'), false);
  assert.equal(sameSecret('abc', 'abcd'), false);
  assert.equal(sameSecret('', 'a'), false);
});

test('token lifetimes: minutes, hours, days, weeks, or never', () => {
  assert.equal(parseLifetime('90m'), 90 * 60_000);
  assert.equal(parseLifetime('12h'), 12 * 3_600_000);
  assert.equal(parseLifetime('30d'), 30 * 86_400_000);
  assert.equal(parseLifetime('2W'), 14 * 86_400_000);
  assert.equal(parseLifetime('never'), null);
  for (const bad of ['', '0d', '30', 'd', '1y', '-1d', '1.5d', '99999w']) assert.throws(() => parseLifetime(bad), /not valid/, bad);
});
