// Step 4 of an out-of-core batch run: the sorted files of all buckets interleave into one
// output by a k-way merge on a heap, reading each file a chunk at a time. Silver events
// merge the user buckets' runs by (event_ts, event_id); quarantine and superseded rows
// merge the event buckets' files by pos. Keys never tie across files: an id has one winner,
// a pos one record.
import { Heap } from 'mnemonist';
import type { FileSink } from '../io/output.js';
import type { SilverEventSink } from '../io/silver-writer.js';
import { FrameReader, type FrameWriter } from './frames.js';

/** One silver row of a run: its order key, and its line as written, with what to patch. */
export function writeRunRow(w: FrameWriter, ts: number, id: string, lines: Buffer, from: number, to: number, botAt: number,
  versions: number, bot: boolean): void {
  w.f64(ts).text(id).u32(botAt).u32(versions).u32(bot ? 1 : 0).bytes(lines, from, to).end();
}

interface RunHead {
  reader: FrameReader;
  ts: number;
  id: string;
  botAt: number;
  versions: number;
  bot: boolean;
  line: Buffer;
}

function readRunRow(h: RunHead): boolean {
  const r = h.reader;
  if (!r.next()) return false;
  h.ts = r.f64();
  h.id = r.text()!;
  h.botAt = r.u32();
  h.versions = r.u32();
  h.bot = r.u32() === 1;
  h.line = r.bytes();
  return true;
}

/**
 * Merges runs into silver rows of `sink`, in (event_ts, event_id) order, and closes it;
 * returns the rows written.
 */
export function mergeRuns(runs: string[], sink: SilverEventSink): number {
  const heap = new Heap<RunHead>((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const path of runs) {
    const h = { reader: new FrameReader(path, 1 << 18) } as RunHead;
    if (readRunRow(h)) heap.push(h);
  }
  let rows = 0;
  while (heap.size > 0) {
    const h = heap.peek()!;
    sink.add(h.line, 0, h.line.length, h.botAt, h.versions, h.bot);
    rows++;
    if (readRunRow(h)) heap.replace(h);
    else heap.pop();
  }
  sink.close();
  return rows;
}

interface PosHead {
  reader: FrameReader;
  pos: number;
  text: string;
}

/** Merges pos-row files (pos-rows.ts) into `sink` in pos order, handing each row to `onRow` too. */
export function mergeByPos(files: string[], sink: FileSink, onRow: (pos: number, text: string) => void = () => undefined): void {
  const heap = new Heap<PosHead>((a, b) => a.pos - b.pos);
  const read = (h: PosHead): boolean => {
    if (!h.reader.next()) return false;
    h.pos = h.reader.f64();
    h.text = h.reader.text()!;
    return true;
  };
  for (const path of files) {
    const h = { reader: new FrameReader(path, 1 << 16) } as PosHead;
    if (read(h)) heap.push(h);
  }
  while (heap.size > 0) {
    const h = heap.peek()!;
    sink.write(h.text);
    onRow(h.pos, h.text);
    if (read(h)) heap.replace(h);
    else heap.pop();
  }
}
