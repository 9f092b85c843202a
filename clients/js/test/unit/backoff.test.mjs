import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../dist/index.js';

test('the first retry waits 0.5 to 1 s, each further one doubles, capped at 30 s', () => {
  const low = [1, 2, 3, 4, 5, 6, 12].map((n) => backoffDelay(n, { random: () => 0 }));
  const high = [1, 2, 3, 4, 5, 6, 12].map((n) => backoffDelay(n, { random: () => 0.999999 }));
  assert.deepEqual(low, [500, 1000, 2000, 4000, 8000, 15000, 15000]);
  assert.deepEqual(high, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
});

test('the jitter spreads clients over the upper half of the window', () => {
  const delays = new Set(Array.from({ length: 200 }, () => backoffDelay(4)));
  assert.ok(delays.size > 50, `200 clients chose only ${delays.size} delays`);
  for (const d of delays) assert.ok(d >= 4000 && d <= 8000, `delay ${d} outside 4-8 s`);
});

test('base and maximum are options; attempts below 1 count as the first', () => {
  assert.equal(backoffDelay(3, { baseMs: 100, maxMs: 300, random: () => 1 }), 300);
  assert.equal(backoffDelay(0, { baseMs: 100, random: () => 0 }), 50);
  assert.equal(backoffDelay(1000, { random: () => 1 }), 30000);
});
