import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeClose, isRetryable, NO_RETRY_CODES } from '../../dist/index.js';

test('no retry after 4401, 4402, 4403 and 4409 (the user has to act first)', () => {
  assert.deepEqual([...NO_RETRY_CODES].sort(), [4401, 4402, 4403, 4409]);
  for (const code of [4401, 4402, 4403, 4409]) assert.equal(isRetryable(code), false, String(code));
});

test('every other close of docs/protocol.md is retried', () => {
  for (const code of [1000, 1001, 1002, 1006, 1007, 1008, 1011, 1012, 1013, 4000, 4400, 4429, 4999]) {
    assert.equal(isRetryable(code), true, String(code));
  }
});

test('a close is described by the protocol name of its code', () => {
  assert.deepEqual(describeClose(4403, 'InvalidToken'),
    { code: 4403, reason: 'InvalidToken', name: 'InvalidToken', retry: false });
  assert.equal(describeClose(4429).name, 'RateLimitExceeded');
  assert.equal(describeClose(1013).name, 'ServerFull');
  assert.equal(describeClose(4123).name, 'Close');
});
