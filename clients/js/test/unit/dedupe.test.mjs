import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentIds } from '../../dist/index.js';

test('an id is seen the second time, not the first', () => {
  const ids = new RecentIds(10);
  assert.equal(ids.seen('a'), false);
  assert.equal(ids.seen('b'), false);
  assert.equal(ids.seen('a'), true);
});

test('memory is bounded: past the limit the oldest id is forgotten', () => {
  const ids = new RecentIds(3);
  for (const id of ['a', 'b', 'c', 'd']) ids.seen(id);
  assert.equal(ids.size, 3);
  assert.equal(ids.seen('d'), true);
  assert.equal(ids.seen('b'), true);
  assert.equal(ids.seen('a'), false, 'a was the oldest and was forgotten');
});

test('a million ids keep the set at its limit', () => {
  const ids = new RecentIds(1000);
  for (let i = 0; i < 1_000_000; i += 1) ids.seen(`evt-${i}`);
  assert.equal(ids.size, 1000);
});
