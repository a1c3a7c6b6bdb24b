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
  assert.equal(Object.keys(pkg.dependencies).sort(), ['arquero', 'cli-progress', 'csv-parse', 'hyparquet', 'hyparquet-writer', 'luxon', 'mnemonist', 'vega', 'vega-lite']);
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name} is pinned`);
  }
  assert.equal(pkg.overrides, { '@uwdata/flechette': '2.6.0' });
});

test('the package imports by its name, as a user would: the engine and the fixture generator', async () => {
  // A variable specifier: resolved by Node through package.json `exports`, not by tsc.
  const name = 'audicin-lakehouse';
  const lib = await import(name);
  for (const fn of ['runPipeline', 'mergeGold', 'silverTransform', 'createStreamEngine']) assert.type(lib[fn], 'function', fn);
  const fixtures = await import(`${name}/fixtures`);
  assert.type(fixtures.generate, 'function');
});

test.run();
