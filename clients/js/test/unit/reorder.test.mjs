import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { comparePositions, parsePosition, ReorderBuffer } from '../../dist/index.js';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
afterEach(() => mock.timers.reset());

const item = (position) => ({ position, parsed: parsePosition(position) });

function buffer(windowMs, maxHeld) {
  const out = [];
  const b = new ReorderBuffer(windowMs, (i) => out.push(i.position ?? '-'), maxHeld);
  return { b, out, push: (...ps) => ps.forEach((p) => b.push(item(p))) };
}

test('positions: epoch and decimal sequence; sequences compare only within an epoch', () => {
  assert.deepEqual(parsePosition('e1:0042'), { epoch: 'e1', seq: '42' });
  assert.equal(parsePosition('e1:x'), null);
  assert.equal(parsePosition('nocolon'), null);
  assert.equal(parsePosition(7), null);
  assert.ok(comparePositions(parsePosition('e:9'), parsePosition('e:10')) < 0, '9 before 10, not as text');
  assert.ok(comparePositions(parsePosition('e:18446744073709551615'), parsePosition('e:18446744073709551614')) > 0);
  assert.equal(comparePositions(parsePosition('a:1'), parsePosition('b:2')), null);
});

test('events that overtook each other are handed over in position order after the window', () => {
  const { push, out } = buffer(50);
  push('e:3', 'e:1', 'e:2');
  assert.deepEqual(out, [], 'held during the window');
  mock.timers.tick(49);
  assert.deepEqual(out, []);
  mock.timers.tick(1);
  assert.deepEqual(out, ['e:1', 'e:2', 'e:3']);
});

test('each event waits at most the window: a later arrival does not hold back an earlier one', () => {
  const { push, out } = buffer(50);
  push('e:10');
  mock.timers.tick(30);
  push('e:12');
  mock.timers.tick(20);
  assert.deepEqual(out, ['e:10']);
  push('e:11'); // overtaken by 12, arrives inside 12's window
  mock.timers.tick(30);
  assert.deepEqual(out, ['e:10', 'e:11', 'e:12']);
});

test('an event later than the window but older than one handed over passes at once, not lost', () => {
  const { push, out } = buffer(50);
  push('e:5');
  mock.timers.tick(50);
  push('e:4');
  assert.deepEqual(out, ['e:5', 'e:4']);
});

test('window 0 hands over in arrival order at once', () => {
  const { push, out } = buffer(0);
  push('e:3', 'e:1');
  assert.deepEqual(out, ['e:3', 'e:1']);
});

test('events without a position pass at once', () => {
  const { b, out } = buffer(50);
  b.push({ parsed: null });
  assert.deepEqual(out, ['-']);
});

test('a new epoch hands over what the old one held first', () => {
  const { push, out } = buffer(50);
  push('old:9', 'old:8', 'new:1');
  assert.deepEqual(out, ['old:8', 'old:9']);
  mock.timers.tick(50);
  assert.deepEqual(out, ['old:8', 'old:9', 'new:1']);
});

test('flush hands over everything held, in order; the buffer is bounded', () => {
  const { b, push, out } = buffer(50, 3);
  push('e:4', 'e:2', 'e:3', 'e:1');
  assert.deepEqual(out, ['e:1'], 'the fourth pushes the lowest out');
  b.flush();
  assert.deepEqual(out, ['e:1', 'e:2', 'e:3', 'e:4']);
  assert.equal(b.size, 0);
});

test('hold keeps items past their window; resume gives them one more window and merges what came meanwhile', () => {
  const { b, push, out } = buffer(50);
  push('e:3');
  b.hold();
  mock.timers.tick(1000);
  assert.deepEqual(out, [], 'held while paused');
  push('e:4');
  b.resume();
  push('e:2');
  mock.timers.tick(49);
  assert.deepEqual(out, []);
  mock.timers.tick(1);
  assert.deepEqual(out, ['e:2', 'e:3', 'e:4']);
});

test('flush after hold hands everything over in order and ends the pause', () => {
  const { b, push, out } = buffer(50);
  push('e:2', 'e:1');
  b.hold();
  b.flush();
  assert.deepEqual(out, ['e:1', 'e:2']);
  push('e:5');
  mock.timers.tick(50);
  assert.deepEqual(out, ['e:1', 'e:2', 'e:5']);
});
