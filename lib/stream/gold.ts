// Gold from an event stream (SPEC 6, 8): every final winner of the stream engine feeds the
// gold accumulators; at the end the side sources are added, bots dropped and the tables
// aggregated, as in the batch run. Late events never reach gold, so nothing counts twice.
// Transport-free: the `gold` command and library users push bytes and call finish().
import { GOLD_TABLES, addEvent, addMarketing, addSubscription, finishGold, initGold, type GoldState,
  type GoldTables } from '../gold/index.js';
import { createStreamEngine, type StreamEngine } from './engine.js';
import type { StreamOptions } from './options.js';
import type { QuarantineRow, SilverMarketing, SilverSubscription } from '../core/types.js';

/** Silver subscriptions and marketing rows (already validated and deduplicated). */
export interface SideSources {
  subscriptions?: Iterable<SilverSubscription>;
  marketing?: Iterable<SilverMarketing>;
}

export interface GoldStream {
  readonly engine: StreamEngine;
  /** The accumulated state: every final event so far, bots included until finish(). */
  readonly state: GoldState;
  /** Feeds NDJSON event bytes. */
  push(chunk: Buffer | string): void;
  /** Adds side sources now, so snapshots count them too (finish() may add more). */
  addSides(sides: SideSources): void;
  /**
   * Every gold table over the final events so far (those still inside the dedup window are
   * not yet in it) and the sides added, bot users as known now dropped. The state is only
   * read: the stream goes on as if no snapshot had been taken.
   */
  snapshot(): GoldTables;
  /** Ends the events, adds the side sources and returns every gold table, bot users dropped. */
  finish(sides?: SideSources): GoldTables;
}

/** A gold accumulator over a stream of events; rejected events (late ones too) go to `onReject`. */
export function createGoldStream(options: StreamOptions, onReject: (row: QuarantineRow) => void): GoldStream {
  const state = initGold();
  let engine: StreamEngine | null = null;
  engine = createStreamEngine(options, { event: (e) => addEvent(state, e, engine!.calendar), reject: onReject });
  const core = engine;
  const addSides = (sides: SideSources): void => {
    for (const s of sides.subscriptions ?? []) addSubscription(state, s);
    for (const m of sides.marketing ?? []) addMarketing(state, m);
  };
  return {
    engine: core,
    state,
    push: (chunk) => core.push(chunk),
    addSides,
    snapshot: () => finishGold(state, new Set(core.bots())),
    finish(sides = {}) {
      core.end();
      addSides(sides);
      return finishGold(state, new Set(core.bots()));
    },
  };
}

/**
 * Every table as NDJSON rows tagged with their table, `{"table":"daily_active_users","date":…,"dau":…}`:
 * tables in GOLD_TABLES order, rows in table order, columns in SPEC 6 order (null when missing).
 * With `snapshot`, each row starts with it: `{"snapshot":3,"table":…}`. Default: no snapshot field.
 */
export function goldLines(tables: GoldTables, snapshot?: number): string {
  const out: string[] = [];
  for (const { name, columns } of GOLD_TABLES) {
    for (const row of tables[name]) {
      const o: Record<string, unknown> = snapshot === undefined ? { table: name } : { snapshot, table: name };
      for (const c of columns) o[c] = row[c] ?? null;
      out.push(JSON.stringify(o) + '\n');
    }
  }
  return out.join('');
}
