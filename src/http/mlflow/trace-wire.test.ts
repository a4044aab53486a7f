import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatTimestamp, parseDuration, parseTimestamp } from './trace-wire.js';

test('timestamps read as protobuf reads them: UTC or offset, up to 9 digits, rounded down to the millisecond', () => {
  const base = Date.UTC(2025, 3, 15, 8, 49, 18);
  assert.equal(parseTimestamp('2025-04-15T08:49:18Z'), base);
  assert.equal(parseTimestamp('2025-04-15T08:49:18.699Z'), base + 699);
  assert.equal(parseTimestamp('2025-04-15T08:49:18.6999999z'), base + 699);
  assert.equal(parseTimestamp('2025-04-15T08:49:18.1Z'), base + 100);
  assert.equal(parseTimestamp('2025-04-15T10:49:18.000000001+02:00'), base);
  assert.equal(parseTimestamp('2025-04-15T03:19:18-05:30'), base);
  assert.equal(parseTimestamp('0050-01-01T00:00:00Z'), new Date('0050-01-01T00:00:00Z').getTime());
  for (const bad of ['2025-02-30T00:00:00Z', '2025-04-15 08:49:18Z', '2025-04-15T24:00:00Z', '2025-04-15T08:49:18', '2025-04-15T08:49:18.1234567890Z', '1744706958000']) {
    assert.equal(parseTimestamp(bad), undefined, bad);
  }
});

test('timestamps are written in UTC with milliseconds, or none when they are zero', () => {
  assert.equal(formatTimestamp(Date.UTC(2025, 3, 15, 8, 49, 18, 699)), '2025-04-15T08:49:18.699Z');
  assert.equal(formatTimestamp(Date.UTC(2025, 3, 15, 8, 49, 18, 12)), '2025-04-15T08:49:18.012Z');
  assert.equal(formatTimestamp(Date.UTC(2025, 3, 15, 8, 49, 18)), '2025-04-15T08:49:18Z');
  assert.equal(formatTimestamp(0), '1970-01-01T00:00:00Z');
});

test('durations: seconds with up to 9 fractional digits, written as protobuf does', () => {
  assert.equal(parseDuration('0.012s'), 12);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('2s'), 2000);
  assert.equal(parseDuration('0.000999999s'), 0);
  assert.equal(parseDuration('3.123456789s'), 3123);
  assert.equal(parseDuration('-1.250s'), -1250);
  for (const bad of ['12', '0.012', '1.0000000001s', 's', '1e3s', ' 1s']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(formatDuration(12), '0.012s');
  assert.equal(formatDuration(1500), '1.500s');
  assert.equal(formatDuration(2000), '2s');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(-250), '-0.250s');
});
