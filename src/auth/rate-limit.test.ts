import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryLaterError } from './lockout.js';
import { RateLimiter } from './rate-limit.js';

test('a caller gets a burst of the per-minute limit, then 429 with the seconds until the next request', () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(60, () => now);
  for (let i = 0; i < 60; i++) limiter.take('token:a');
  const error = (() => {
    try {
      limiter.take('token:a');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof RetryLaterError);
  assert.equal(error.code, 'REQUEST_LIMIT_EXCEEDED');
  assert.equal(error.httpStatus, 429);
  assert.equal(error.retryAfterSeconds, 1);
  assert.match(error.message, /at most 60 requests a minute/);
  // Another caller has its own bucket.
  limiter.take('token:b');
  // One request a second refills.
  now += 1000;
  limiter.take('token:a');
  assert.throws(() => limiter.take('token:a'), RetryLaterError);
  now += 60_000;
  for (let i = 0; i < 60; i++) limiter.take('token:a');
  assert.throws(() => limiter.take('token:a'), RetryLaterError);
});

test('Retry-After rounds up to whole seconds for slow limits', () => {
  const now = 0;
  const limiter = new RateLimiter(2, () => now);
  limiter.take('k');
  limiter.take('k');
  assert.throws(() => limiter.take('k'), (e: unknown) => e instanceof RetryLaterError && e.retryAfterSeconds === 30);
});
