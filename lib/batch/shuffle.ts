// Step 1 of an out-of-core batch run: one pass over the landed events file sends each
// record, as its pos and raw line bytes, to the event bucket its event_id hashes to (the
// hash the in-memory partitions use; a record without a usable id goes to bucket 0), so
// every version of an id meets in one bucket. Blank and too-long lines are counted and
// quarantined here, as the in-memory path's partition 0 does.
import { join } from 'node:path';
import { eventHash, quarantineText } from './event-partition.js';
import { LineSplitter } from '../io/lines.js';
import type { OutputFs } from '../io/output-fs.js';
import { readChunks, tooLongDetail } from '../io/readers.js';
import { SourceCounts } from '../core/report.js';
import type { ResolvedOptions, SourceReport } from '../core/types.js';
import { FrameWriter } from './frames.js';
import { writePosRow } from './pos-rows.js';

export interface ShuffleResult {
  info: SourceReport;
  /** Per event bucket: frames of (pos f64, raw line bytes), in pos order. */
  buckets: string[];
  /** Quarantine rows of too-long lines, in pos order (see pos-rows.ts). */
  quarantine: string;
  /** Bytes written to the bucket files. */
  bytes: number;
}

/** Shuffles the events file at `path` into `count` bucket files in `dir`. */
export async function shuffleEvents(path: string, opts: ResolvedOptions, dir: string, count: number, fs?: OutputFs):
  Promise<ShuffleResult> {
  const file = opts.files.events;
  const counts = new SourceCounts(file);
  const buckets = Array.from({ length: count }, (_, b) => join(dir, `shuffle-${b}.bin`));
  const quarantine = join(dir, 'shuffle-quarantine.bin');
  const writers = buckets.map((p) => new FrameWriter(p, fs));
  const rejects = new FrameWriter(quarantine, fs);
  let bytes = 0;
  const splitter = new LineSplitter({
    line(line, pos) {
      const bucket = count === 1 ? 0 : eventHash(line).hash % count;
      writers[bucket].f64(pos).bytes(line).end();
      bytes += line.length + 16;
    },
    blank() {
      counts.blank();
    },
    tooLong(head, pos, n) {
      counts.quarantine('line_too_long');
      writePosRow(rejects, pos, quarantineText(file, pos, 'line_too_long', tooLongDetail(n), head.toString('utf8')));
    },
  }, opts.maxLineBytes);
  await readChunks(path, (chunk) => splitter.push(chunk));
  splitter.end();
  for (const w of writers) w.close();
  rejects.close();
  return { info: counts.info, buckets, quarantine, bytes };
}
