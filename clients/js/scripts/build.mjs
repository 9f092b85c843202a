// Builds the package (dist/: ESM, CommonJS, a minified ESM for the size check) and the browser
// bundle the dashboards load, which is committed so that `make build` needs no Node.
//   node scripts/build.mjs                     dist/ only
//   node scripts/build.mjs --write-dashboard   also (re)writes the dashboards' copy
//   node scripts/build.mjs --check-dashboard   fails when the dashboards' copy differs from the sources
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const DASHBOARD_BUNDLE = path.resolve(root,
  '../../adapters/web/src/main/resources/web/dashboard/assets/js/relaymesh-client.js');
const HEADER = '// Built from clients/js (npm run build:dashboard there); do not edit: make test checks it matches.\n';
const common = { entryPoints: [path.join(root, 'src/index.ts')], bundle: true, target: 'es2022', legalComments: 'none' };

async function bundle(options) {
  const result = await build({ ...common, write: false, ...options });
  return result.outputFiles[0].text;
}

const mode = process.argv[2];
if (mode === '--check-dashboard') {
  const expected = HEADER + await bundle({ format: 'esm', platform: 'browser' });
  const actual = await readFile(DASHBOARD_BUNDLE, 'utf8').catch(() => '(missing)');
  if (actual !== expected) {
    console.error(`${path.relative(process.cwd(), DASHBOARD_BUNDLE)} does not match clients/js/src: `
      + 'run `npm run build:dashboard` in clients/js and commit the result');
    process.exit(1);
  }
  console.log('the dashboards\' relaymesh-client.js matches clients/js/src');
} else {
  await build({ ...common, format: 'esm', platform: 'neutral', outfile: path.join(root, 'dist/index.js') });
  await build({ ...common, format: 'cjs', platform: 'node', outfile: path.join(root, 'dist/index.cjs') });
  await build({ ...common, format: 'esm', platform: 'neutral', minify: true,
    outfile: path.join(root, 'dist/relaymesh-client.min.js') });
  if (mode === '--write-dashboard') {
    await writeFile(DASHBOARD_BUNDLE, HEADER + await bundle({ format: 'esm', platform: 'browser' }));
    console.log(`wrote ${path.relative(process.cwd(), DASHBOARD_BUNDLE)}`);
  }
}
