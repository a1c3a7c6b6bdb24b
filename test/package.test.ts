import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('package.json: ESM, bin, exports with types', () => {
  assert.is(pkg.name, 'audicin-lakehouse');
  assert.is(pkg.type, 'module');
  assert.equal(pkg.bin, { audicin: 'bin/audicin.js' });
  assert.equal(pkg.exports['.'], { types: './dist/lib/index.d.ts', default: './dist/lib/index.js' });
  assert.is(pkg.scripts.start, 'node bin/audicin.js run');
  assert.match(pkg.scripts.prepare, 'tsc');
});

test('package.json: the design card dependencies, pinned exactly', () => {
  assert.equal(Object.keys(pkg.dependencies).sort(), ['arquero', 'csv-parse', 'luxon', 'mnemonist']);
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name} is pinned`);
  }
  assert.equal(pkg.overrides, { '@uwdata/flechette': '2.6.0' });
});

test('the library entry exports runPipeline', async () => {
  const lib = await import('../lib/index.js');
  assert.type(lib.runPipeline, 'function');
  assert.type(lib.mergeGold, 'function');
});

test.run();
