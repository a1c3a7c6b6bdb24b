// Test helpers: temporary folders, small hand-built inputs, and reading outputs back.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lakehouseHome } from '../lib/io/output.js';

const made: string[] = [];
// A folder used as --out becomes a link into a hidden sibling folder: both go.
process.on('exit', () => made.forEach((dir) => [dir, lakehouseHome(dir)].forEach((d) => rmSync(d, { recursive: true, force: true }))));

/** A new temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'audicin-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes the three sources into a new folder; each is given as its whole text. */
export function writeInput(files: { events?: string; subscriptions?: string; marketing?: string }): string {
  const dir = tempDir('audicin-in-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'events.ndjson'), files.events ?? '');
  writeFileSync(join(dir, 'subscriptions.json'), files.subscriptions ?? '[]');
  writeFileSync(join(dir, 'marketing_spend.csv'), files.marketing ?? 'date,channel,spend\n');
  return dir;
}

/** NDJSON text of objects, one a line. */
export const ndjson = (rows: unknown[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

export function readNdjson<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
}

/** Every file under `dir` with its bytes, by relative path. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    out[full.slice(dir.length + 1)] = readFileSync(full).toString('base64');
  }
  return out;
}
