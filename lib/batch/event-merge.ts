// Merges the event partitions of a batch run: counters and gold state add up, quarantine
// and superseded rows interleave by pos, and winners interleave by (event_ts, event_id).
// Bots are found on that time-ordered sequence, then silver is written with the flag set.
import { botsInOrder } from '../core/bots.js';
import { unpackGold } from '../gold/codec.js';
import { mergeGold, type GoldState } from '../gold/state.js';
import type { PartitionResult, PosRows, Winners } from './event-partition.js';
import type { FileSink } from '../io/output.js';
import { SourceCounts } from '../core/report.js';
import type { SilverJob } from '../io/silver-writer.js';
import { trace } from '../io/trace.js';
import type { SourceReport } from '../core/types.js';

export interface MergedEvents {
  info: SourceReport;
  /** Bot user ids, sorted. */
  bots: string[];
  /** Each bot's peak: the most of its events inside one bot window, by user id in `bots` order. */
  botPeaks: Record<string, number>;
  /** What silver/events.ndjson is to hold, for silver-writer.ts. */
  silver: SilverJob;
  /**
   * The merged gold state. Unpacked only when asked for: millions of small objects would
   * slow every collection while the silver rows are still being written.
   */
  gold: () => GoldState;
}

/** Writes rows of every partition in pos order (each partition's rows are sorted already). */
function writeByPos(sink: FileSink, rows: PosRows[]): void {
  const at = rows.map(() => 0);
  for (;;) {
    let best = -1;
    for (let p = 0; p < rows.length; p++) {
      if (at[p] < rows[p].pos.length && (best < 0 || rows[p].pos[at[p]] < rows[best].pos[at[best]])) best = p;
    }
    if (best < 0) return;
    sink.write(rows[best].text[at[best]++]);
  }
}

const idOf = (w: Winners, i: number): string => (w.idBytes as Buffer).toString('utf8', w.idStart[i], w.idStart[i + 1]);

/** The k-way merge order of all winners: partition and index of each, by (ts, id). */
function mergeOrder(parts: PartitionResult[]): { part: Uint8Array; index: Uint32Array } {
  const total = parts.reduce((n, p) => n + p.winners.ts.length, 0);
  const part = new Uint8Array(total), index = new Uint32Array(total);
  const at = parts.map(() => 0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    for (let p = 0; p < parts.length; p++) {
      const w = parts[p].winners, i = at[p];
      if (i >= w.ts.length) continue;
      if (best < 0) { best = p; continue; }
      const b = parts[best].winners, j = at[best];
      if (w.ts[i] < b.ts[j] || (w.ts[i] === b.ts[j] && idOf(w, i) < idOf(b, j))) best = p;
    }
    part[k] = best;
    index[k] = at[best]++;
  }
  return { part, index };
}


/**
 * The bots among the merged winners (SPEC 4): for each partition, a flag per local user
 * number, the bots' ids, sorted, and each bot's peak count in one window.
 */
function findBots(parts: PartitionResult[], part: Uint8Array, index: Uint32Array, threshold: number,
  windowMs: number): { flags: Uint8Array[]; names: string[]; peaks: Record<string, number> } {
  // One number per user across partitions.
  const numbers = new Map<string, number>();
  const global = parts.map((p) => Int32Array.from(p.winners.userNames, (name) => {
    let n = numbers.get(name);
    if (n === undefined) numbers.set(name, (n = numbers.size));
    return n;
  }));
  const { isBot: isBotGlobal, peaks } = botsInOrder(numbers.size, part.length,
    (k) => global[part[k]][parts[part[k]].winners.users[index[k]]], (k) => parts[part[k]].winners.ts[index[k]],
    threshold, windowMs);
  const names = [...numbers.keys()].filter((_, n) => isBotGlobal[n] === 1).sort();
  return {
    flags: global.map((g) => Uint8Array.from(g, (n) => isBotGlobal[n])), names,
    peaks: Object.fromEntries(names.map((name) => [name, peaks.get(numbers.get(name)!)!])),
  };
}

/**
 * Writes quarantine and superseded rows of all partitions, orders the winners, finds the
 * bots, and returns the summed counters, what silver is to hold and the gold state.
 */
export function mergeEventPartitions(parts: PartitionResult[], sinks: { quarantine: FileSink; superseded: FileSink },
  botThreshold: number, botWindowMs: number): MergedEvents {
  const counts = new SourceCounts(parts[0].info.file);
  for (const p of parts) counts.merge(p.info);
  const info = counts.info;
  writeByPos(sinks.quarantine, parts.map((p) => p.quarantine));
  writeByPos(sinks.superseded, parts.map((p) => p.superseded));

  const { part, index } = mergeOrder(parts);
  trace('events: merge order');
  const isBot = findBots(parts, part, index, botThreshold, botWindowMs);
  const bots = isBot.names;
  trace('events: bots found');
  const silver: SilverJob = {
    part, index,
    parts: parts.map((p, n) => ({ ...p.winners, botFlags: isBot.flags[n] })),
  };
  const gold = (): GoldState => {
    const states = parts.map((p) => ('dayUser' in p.gold ? unpackGold(p.gold) : p.gold));
    return states.slice(1).reduce((acc, s) => mergeGold(acc, s), states[0]);
  };
  return { info, bots, botPeaks: isBot.peaks, silver, gold };
}
