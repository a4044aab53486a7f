import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dummyPasswordHash, hashCost, hashPassword, SCRYPT_COST, verifyPassword } from './passwords.js';
import { checkPasswordPolicy, checkUserName } from './policy.js';

test('a hashed password verifies, a wrong one does not, and each hash has its own salt', async () => {
  const first = await hashPassword('correct horse battery');
  const second = await hashPassword('correct horse battery');
  assert.notEqual(first, second);
  assert.match(first, /^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(await verifyPassword('correct horse battery', first), true);
  assert.equal(await verifyPassword('correct horse batterY', first), false);
  assert.equal(await verifyPassword('', first), false);
});

test('a damaged or foreign hash never verifies, and absurd costs are refused before any work', async () => {
  const good = await hashPassword('correct horse battery');
  const parts = good.split('$');
  assert.equal(await verifyPassword('correct horse battery', parts.slice(0, 5).join('$')), false);
  assert.equal(await verifyPassword('correct horse battery', `bcrypt$${parts.slice(1).join('$')}`), false);
  assert.equal(hashCost(['scrypt', '40', '8', '1', parts[4], parts[5]].join('$')), undefined);
  assert.equal(await verifyPassword('correct horse battery', ['scrypt', '40', '8', '1', parts[4], parts[5]].join('$')), false);
});

test('the dummy hash for unknown users costs the same scrypt work as a real one and matches nothing', async () => {
  const dummy = await dummyPasswordHash();
  assert.deepEqual(hashCost(dummy), SCRYPT_COST);
  assert.deepEqual(hashCost(await hashPassword('x')), SCRYPT_COST);
  assert.equal(await verifyPassword('', dummy), false);
  assert.equal(await verifyPassword('correct horse battery', dummy), false);
  assert.equal(await dummyPasswordHash(), dummy);
});

test('the password policy names the rule that failed', () => {
  assert.throws(() => checkPasswordPolicy('short', 'alice'), /too short: use at least 12 characters \(got 5\)/);
  assert.throws(() => checkPasswordPolicy('aaaaaaaaaaaaaaaa', 'alice'), /too simple/);
  assert.throws(() => checkPasswordPolicy('alice-has-a-password', 'Alice'), /must not contain the user name/);
  assert.throws(() => checkPasswordPolicy('x'.repeat(200) + 'abcdefghij'.repeat(6), 'alice'), /too long/);
  assert.doesNotThrow(() => checkPasswordPolicy('correct horse battery', 'alice'));
});

test('user names are lower-cased and limited to a safe alphabet', () => {
  assert.equal(checkUserName('  Alice@Example.com '), 'alice@example.com');
  assert.throws(() => checkUserName(''), /not valid/);
  assert.throws(() => checkUserName('bob smith'), /not valid/);
  assert.throws(() => checkUserName('-bob'), /not valid/);
  assert.throws(() => checkUserName('a'.repeat(65)), /not valid/);
});
