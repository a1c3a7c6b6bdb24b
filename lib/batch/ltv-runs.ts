// The per-user rows of gold (ltv_per_user) out of core: each user bucket writes its rows
// as a run sorted by user_id, and the runs interleave by a k-way merge straight into the
// gold writers, so the whole table is never held. Users never span buckets: no key ties.
import { Heap } from 'mnemonist';
import type { LtvRow } from '../gold/partial.js';
import type { Micros } from '../gold/money.js';
import { FrameReader, FrameWriter } from './frames.js';

// A sum past 2^53 is a BigInt: written as NaN and then its decimal text.
function writeMicros(w: FrameWriter, m: Micros): void {
  if (typeof m === 'number') w.f64(m);
  else w.f64(NaN).text(m.toString());
}

function readMicros(r: FrameReader): Micros {
  const v = r.f64();
  return Number.isNaN(v) ? BigInt(r.text()!) : v;
}

/** Writes `rows` (sorted by user) to a run file at `path`; returns its bytes. */
export function writeLtvRun(path: string, rows: readonly LtvRow[]): number {
  const w = new FrameWriter(path, undefined, 1 << 20);
  for (const r of rows) {
    w.text(r.user).text(r.channel);
    writeMicros(w, r.purchaseMicros);
    writeMicros(w, r.refundMicros);
    w.end();
  }
  w.close();
  return w.written;
}

interface Head {
  reader: FrameReader;
  row: LtvRow;
}

function readRow(h: Head): boolean {
  const r = h.reader;
  if (!r.next()) return false;
  const user = r.text()!, channel = r.text();
  const purchaseMicros = readMicros(r);
  h.row = { user, channel, purchaseMicros, refundMicros: readMicros(r) };
  return true;
}

/** The rows of every run at `paths`, in user_id order (JS string order, as each run is sorted). */
export function* mergeLtvRuns(paths: readonly string[]): Generator<LtvRow> {
  const heap = new Heap<Head>((a, b) => (a.row.user < b.row.user ? -1 : a.row.user > b.row.user ? 1 : 0));
  for (const path of paths) {
    const h = { reader: new FrameReader(path, 1 << 16) } as Head;
    if (readRow(h)) heap.push(h);
  }
  while (heap.size > 0) {
    const h = heap.peek()!;
    yield h.row;
    if (readRow(h)) heap.replace(h);
    else heap.pop();
  }
}
