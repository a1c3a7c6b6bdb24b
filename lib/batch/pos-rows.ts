// Quarantine and superseded rows in spill files: frames of (pos f64, row text), in pos order,
// so the rows of all buckets interleave into one file by a k-way merge on pos (kway.ts).
import type { PosRows } from './event-partition.js';
import { FrameWriter } from './frames.js';

export function writePosRow(w: FrameWriter, pos: number, text: string): void {
  w.f64(pos).text(text).end();
}

/** Writes rows already sorted by pos to a new file at `path`. */
export function writePosRows(path: string, rows: PosRows): string {
  const w = new FrameWriter(path);
  for (let i = 0; i < rows.pos.length; i++) writePosRow(w, rows.pos[i], rows.text[i]);
  w.close();
  return path;
}
