// What npm users get: the size budget, types, and both module formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const dist = new URL('../../dist/', import.meta.url);

test('the minified bundle is under 10 KB gzipped', () => {
  const gzipped = gzipSync(readFileSync(new URL('relaymesh-client.min.js', dist)), { level: 9 }).length;
  console.log(`# relaymesh-client.min.js: ${gzipped} bytes gzipped`);
  assert.ok(gzipped < 10 * 1024, `${gzipped} bytes gzipped`);
});

test('the package has no runtime dependency', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.peerDependencies, undefined);
});

test('types ship beside the code, and CommonJS requires the same API', () => {
  const types = readFileSync(new URL('index.d.ts', dist), 'utf8');
  assert.match(types, /RelaymeshClient/);
  assert.match(readFileSync(new URL('client.d.ts', dist), 'utf8'), /selectChat\(chatId: string\): boolean/);
  const cjs = createRequire(import.meta.url)(new URL('index.cjs', dist).pathname);
  assert.equal(typeof cjs.RelaymeshClient, 'function');
  assert.equal(typeof cjs.backoffDelay, 'function');
});
