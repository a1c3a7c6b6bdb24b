// The folders of lib/ show the design: the pure core (validation, the scanner, dedup, bots,
// counters, the silver row layout), gold and the report page never touch Node's I/O, and the
// core depends on nothing outside itself. This test keeps it so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const LIB = fileURLToPath(new URL('../../lib', import.meta.url));
const sources = (dir: string): [string, string][] =>
  readdirSync(join(LIB, dir)).filter((f) => f.endsWith('.ts')).map((f) => [`${dir}/${f}`, readFileSync(join(LIB, dir, f), 'utf8')]);
const imports = (text: string): string[] => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

test('core, gold and report-html import no node: module', () => {
  const found = ['core', 'gold', 'report-html'].flatMap(sources)
    .flatMap(([file, text]) => imports(text).filter((s) => s.startsWith('node:')).map((s) => `${file}: ${s}`));
  assert.equal(found, []);
});

test('core imports only core and packages', () => {
  const found = sources('core')
    .flatMap(([file, text]) => imports(text).filter((s) => s.startsWith('.') && !s.startsWith('./')).map((s) => `${file}: ${s}`));
  assert.equal(found, []);
});

test.run();
