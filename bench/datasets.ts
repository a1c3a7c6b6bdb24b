// Seeded benchmark datasets, generated once by fixtures/generate and cached outside the
// repository. A dataset folder is reused only when its marker file names the same
// generator build, seed, size and ordering; it is generated aside and renamed into place,
// so an interrupted generation is never mistaken for a finished one.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../fixtures/generate.js';

export const SEED = 42;
/** Disorder of the time-ordered (stream) datasets: well inside stream mode's one-hour window. */
export const DISORDER_MS = 60_000;
const MARKER = '.audicin-bench.json';

export interface Dataset {
  dir: string;
  /** Nominal size asked of the generator. */
  size: number;
  ordered: boolean;
  /** events.ndjson */
  eventsFile: string;
  eventsBytes: number;
  /** Event records in events.ndjson (non-blank lines). */
  eventRecords: number;
}

interface Marker {
  generator: string;
  seed: number;
  events: number;
  ordered: boolean;
  disorder_ms: number | null;
  event_records: number;
  events_bytes: number;
}

/** `$XDG_CACHE_HOME/audicin-bench`, else `~/.cache/audicin-bench`. */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return resolve(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'audicin-bench');
}

let generatorHash: string | undefined;
/** The generator's version: a hash of its compiled code, so any change to it invalidates the cache. */
function generatorVersion(): string {
  generatorHash ??= createHash('sha256')
    .update(readFileSync(fileURLToPath(new URL('../fixtures/generate.js', import.meta.url))))
    .digest('hex').slice(0, 16);
  return generatorHash;
}

function readMarker(dir: string): Marker | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/** The dataset of `size` events (`ordered` for stream mode), generated into the cache unless already there. */
export async function ensureDataset(cache: string, size: number, ordered: boolean, log: (s: string) => void): Promise<Dataset> {
  const name = `events-${size}-seed${SEED}-${ordered ? `ordered${DISORDER_MS}` : 'shuffled'}`;
  const dir = join(cache, name);
  const want = { generator: generatorVersion(), seed: SEED, events: size, ordered, disorder_ms: ordered ? DISORDER_MS : null };
  const have = readMarker(dir);
  const eventsFile = join(dir, 'events.ndjson');
  if (have && (Object.keys(want) as (keyof typeof want)[]).every((k) => have[k] === want[k])
    && existsSync(eventsFile) && statSync(eventsFile).size === have.events_bytes) {
    return { dir, size, ordered, eventsFile, eventsBytes: have.events_bytes, eventRecords: have.event_records };
  }
  log(`generating ${size.toLocaleString('en-US')}-event dataset (${ordered ? 'time-ordered' : 'shuffled'}) in ${dir} ...`);
  const t0 = performance.now();
  const aside = `${dir}.tmp-${process.pid}`;
  rmSync(aside, { recursive: true, force: true });
  try {
    const result = await generate({ dir: aside, events: size, seed: SEED, ...(ordered ? { ordered: true, disorderMs: DISORDER_MS } : {}) });
    const marker: Marker = {
      ...want,
      event_records: result.expected.sources.events.records,
      events_bytes: statSync(join(aside, 'events.ndjson')).size,
    };
    writeFileSync(join(aside, 'expected.json'), JSON.stringify(result.expected) + '\n');
    writeFileSync(join(aside, MARKER), JSON.stringify(marker, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(aside, dir);
    log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(marker.events_bytes / 1e6).toFixed(1)} MB of events)`);
    return { dir, size, ordered, eventsFile, eventsBytes: marker.events_bytes, eventRecords: marker.event_records };
  } catch (err) {
    rmSync(aside, { recursive: true, force: true });
    throw err;
  }
}
