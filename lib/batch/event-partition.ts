// The events of a batch run, one partition at a time (SPEC 2–5). Partition k of n owns the
// records whose event_id hashes to k, so every version of an id meets in one partition and
// dedup there is exact; a record without a usable id belongs to partition 0. Each partition
// reads the whole file, so line numbers stay physical, but parses only the lines it owns:
// that is what lets worker threads share the work of one file (see event-workers.ts).
// A partition runs named stages: dedupStage (validate and dedup), readPartition, settleDedup
// (superseded rows and counts), gatherWinners (silver order) and tableGold; an out-of-core
// event bucket (batch/event-bucket.ts) runs the same dedupStage and settleDedup on its records.
import { statSync } from 'node:fs';
import { makeCalendar, type Calendar } from '../core/calendar.js';
import { fileError } from '../core/errors.js';
import { readId } from '../core/fields.js';
import type { PackedGold } from '../gold/codec.js';
import { addUserEvent, initGold, userOf, type GoldState, type UserAcc } from '../gold/state.js';
import { LineSplitter } from '../io/lines.js';
import { latin1Of, parseJsonLine, readChunks, tooLongDetail, type ParsedLine } from '../io/readers.js';
import { SourceCounts } from '../core/report.js';
import { EventScanner } from '../core/scan-event.js';
import { EventTable, GOLD_KINDS, LineBuffer } from '../core/event-table.js';
import { trace } from '../io/trace.js';
import type { QuarantineReason, ResolvedOptions, SilverEvent, SourceReport } from '../core/types.js';
import { EVENT_ID_FIELDS, validateEvent } from '../core/validate-event.js';

/** Text rows (quarantine or superseded), sorted by `pos`. */
export interface PosRows {
  pos: number[];
  text: string[];
}

/** A partition's winners in silver order `(ts, event_id)`, their lines in one buffer. */
export interface Winners {
  ts: Float64Array;
  /** Event ids as UTF-8, back to back (decoded only to break ties on ts when merging). */
  idBytes: Uint8Array;
  idStart: Float64Array;
  /** Index into `userNames` of each winner's user: a dictionary moves across threads cheaply. */
  users: Uint32Array;
  userNames: string[];
  /** Silver lines written with is_bot `false` and versions `1`, patched when merged. */
  lines: Uint8Array;
  start: Float64Array;
  end: Float64Array;
  /** Byte offset, within its line, of the `false` of `"is_bot":false`. */
  botAt: Uint32Array;
  versions: Uint32Array;
}

export interface PartitionResult {
  info: SourceReport;
  quarantine: PosRows;
  superseded: PosRows;
  winners: Winners;
  /** Packed when it comes from a worker thread; unpacked once the big buffers are written. */
  gold: GoldState | PackedGold;
}

const KEY = Buffer.from('"event_id"');
const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
/** A byte that trimming can never remove: ASCII and not white space. */
const isSolid = (c: number): boolean => c > 0x20 && c < 0x7f;
const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;

/**
 * FNV-1a hash of the UTF-8 bytes of a line's event_id, read without parsing the line, or
 * -1 when that cannot be told safely: the key must appear once, at the top level, in a
 * line without backslashes (an escape could spell the key or end the string elsewhere),
 * with a plain string value that trimming leaves as it is.
 */
export function quickIdHash(line: Buffer): number {
  const at = line.indexOf(KEY);
  if (at < 0 || line.indexOf(BACKSLASH) >= 0 || line.indexOf(KEY, at + KEY.length) >= 0) return -1;
  let depth = 0, inString = false;
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (inString) inString = c !== QUOTE;
    else if (c === QUOTE) inString = true;
    else if (c === LBRACE || c === LBRACK) depth++;
    else if (c === RBRACE || c === RBRACK) depth--;
  }
  if (inString || depth !== 1) return -1;
  let j = at + KEY.length;
  while (isBlank(line[j])) j++;
  if (line[j++] !== COLON) return -1;
  while (isBlank(line[j])) j++;
  if (line[j++] !== QUOTE) return -1;
  const first = j;
  let h = FNV_OFFSET;
  for (; j < line.length && line[j] !== QUOTE; j++) h = Math.imul(h ^ line[j], FNV_PRIME);
  if (j === line.length || j === first || !isSolid(line[first]) || !isSolid(line[j - 1])) return -1;
  return h >>> 0;
}

/** The same hash of a normalised id, for lines the quick reader declines. */
export function idHash(id: string): number {
  let h = FNV_OFFSET;
  for (const byte of Buffer.from(id, 'utf8')) h = Math.imul(h ^ byte, FNV_PRIME);
  return h >>> 0;
}

/**
 * Where a line's record belongs: the hash of its event_id (0 when it has none usable), and
 * the parse, when the quick reader had to parse to tell, so the caller need not parse again.
 */
export function eventHash(bytes: Buffer): { hash: number; parsed: ParsedLine | undefined } {
  const hash = quickIdHash(bytes);
  if (hash >= 0) return { hash, parsed: undefined };
  const parsed = parseJsonLine(bytes, EVENT_ID_FIELDS);
  const value = parsed.value;
  const id = typeof value === 'object' && value !== null ? readId((value as { event_id?: unknown }).event_id) : null;
  return { hash: id === null ? 0 : idHash(id), parsed };
}

/** One quarantine row of events as its line of `quarantine/events.ndjson`. */
export const quarantineText = (file: string, pos: number, reason: QuarantineReason, detail: string, raw: string): string =>
  JSON.stringify({ source: file, pos, reason, detail, raw }) + '\n';

/** Quarantine rows of events, collected with their counters. */
export function eventRejects(file: string, counts: SourceCounts): { rows: PosRows; reject: Reject } {
  const rows: PosRows = { pos: [], text: [] };
  const reject = (pos: number, reason: QuarantineReason, detail: string, raw: string): void => {
    counts.quarantine(reason);
    rows.pos.push(pos);
    rows.text.push(quarantineText(file, pos, reason, detail, raw));
  };
  return { rows, reject };
}

export type Reject = (pos: number, reason: QuarantineReason, detail: string, raw: string) => void;

/**
 * Validates one events line (SPEC 2) and offers it to dedup (SPEC 3); a reject goes to `reject`.
 * The byte scanner (scan-event.ts) reads the line unless it declines or `parsed` is given;
 * the reference path, parse then validateEvent, decides the rest.
 */
export function eventIntake(opts: ResolvedOptions, cal: Calendar, counts: SourceCounts, table: EventTable, reject: Reject):
  (bytes: Buffer, pos: number, parsed?: ParsedLine) => void {
  const file = opts.files.events;
  const scanner = new EventScanner({ source: file, fx: opts.fx, now: opts.now, cal, ascii: latin1Of });
  const lines = table.lines;
  return (bytes, pos, parsed) => {
    if (parsed === undefined) {
      lines.reserve(scanner.room(bytes.length));
      const scanned = scanner.scan(bytes, pos, lines);
      if (scanned !== null) {
        counts.valid();
        return table.offerWritten(scanned, scanned.end, scanned.botAt);
      }
    }
    parsed ??= parseJsonLine(bytes, EVENT_ID_FIELDS);
    if (parsed.error !== null) return reject(pos, 'invalid_json', parsed.error, bytes.toString('utf8'));
    const result = validateEvent(parsed.value, file, pos, opts.fx, opts.now);
    if ('reason' in result) return reject(pos, result.reason, result.detail, bytes.toString('utf8'));
    counts.valid();
    table.offer(result, cal);
  };
}

/** The superseded rows of a table whose offering is over, sorted by pos. */
export function supersededRows(file: string, table: EventTable): PosRows {
  const losers = table.losers.sort((a, b) => a[1] - b[1]);
  return {
    pos: losers.map((l) => l[1]),
    text: losers.map(([key, pos]) => JSON.stringify({ source: file, pos, key, winner_pos: table.winnerPos(key) }) + '\n'),
  };
}

// addUserEvent reads only these fields; one object serves every call.
const scratch = { event_id: '', ts: 0, event_type: '', usd_micros: null, acquisition_channel: null } as
  Pick<SilverEvent, 'event_id' | 'ts' | 'event_type' | 'usd_micros' | 'acquisition_channel'>;

/**
 * Accumulates one winner of the user whose accumulator is `u` into gold, from the compact
 * fields EventTable keeps (kind: index into GOLD_KINDS; micros NaN: none).
 */
export function addWinnerToGold(u: UserAcc, cal: Calendar, id: string, ts: number, kind: number,
  micros: number, channel: string | null | undefined): void {
  scratch.event_id = id;
  scratch.ts = ts;
  scratch.event_type = GOLD_KINDS[kind];
  scratch.usd_micros = Number.isNaN(micros) ? null : micros;
  scratch.acquisition_channel = kind === 1 ? channel ?? null : null;
  addUserEvent(u, scratch as SilverEvent, cal);
}

/** The validate-and-dedup stage of one partition or event bucket: where its records go, and what they leave. */
export interface DedupStage {
  file: string;
  cal: Calendar;
  counts: SourceCounts;
  table: EventTable;
  /** Quarantine rows, in the order rejected. */
  quarantine: PosRows;
  reject: Reject;
  /** Validates one line and offers it to `table` (eventIntake). */
  intake: (bytes: Buffer, pos: number, parsed?: ParsedLine) => void;
}

/** A new dedup stage for about `rawBytes` of raw event lines. */
export function dedupStage(opts: ResolvedOptions, rawBytes: number): DedupStage {
  const file = opts.files.events;
  const cal = makeCalendar(opts.timezone);
  const counts = new SourceCounts(file);
  // A silver line is about 2.6 times its raw line.
  const table = new EventTable(Math.ceil(rawBytes * 3));
  const { rows: quarantine, reject } = eventRejects(file, counts);
  return { file, cal, counts, table, quarantine, reject, intake: eventIntake(opts, cal, counts, table, reject) };
}

/**
 * The read stage of partition `part` of `count`: splits the file at `path` into lines and
 * hands the lines this partition owns to the stage's intake. Partition 0 also counts blank
 * lines and quarantines the too-long ones, whose ids cannot be read.
 */
async function readPartition(path: string, opts: ResolvedOptions, part: number, count: number, stage: DedupStage): Promise<void> {
  const { intake, counts, reject } = stage;
  const splitter = new LineSplitter({
    line(bytes, pos) {
      if (count === 1) return intake(bytes, pos);
      const { hash, parsed } = eventHash(bytes);
      if (hash % count === part) intake(bytes, pos, parsed);
    },
    blank() {
      if (part === 0) counts.blank();
    },
    tooLong(head, pos, bytes) {
      if (part === 0) reject(pos, 'line_too_long', tooLongDetail(bytes), head.toString('utf8'));
    },
  }, opts.maxLineBytes);
  await readChunks(path, (chunk) => splitter.push(chunk));
  splitter.end();
}

/** Reads `path` and returns partition `part` of `count` of its events. */
export async function processEventPartition(path: string, opts: ResolvedOptions, part: number, count: number):
  Promise<PartitionResult & { gold: GoldState }> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw fileError('E_SOURCE_UNREADABLE', path, err);
  }
  const stage = dedupStage(opts, size / count);
  const { file, cal, counts, table } = stage;
  await readPartition(path, opts, part, count, stage);
  trace(`events part ${part}: read, validated, deduplicated`);
  const superseded = settleDedup(file, table, counts);
  const order = table.sortedSlots();
  trace(`events part ${part}: sorted`);
  const winners = gatherWinners(table, order);
  trace(`events part ${part}: winners gathered`);
  const gold = tableGold(table, cal);
  trace(`events part ${part}: gold accumulated`);
  // Lines are read in order, so quarantine rows are already sorted by pos.
  return { info: counts.info, quarantine: stage.quarantine, superseded, winners, gold };
}

/**
 * The stage after dedup, for partitions and event buckets alike: the superseded rows of
 * `table` (sorted by pos), counted with its winners into `counts`. Drops the id index:
 * nothing is offered any more, and the rest runs on a smaller heap.
 */
export function settleDedup(file: string, table: EventTable, counts: SourceCounts): PosRows {
  const superseded = supersededRows(file, table);
  counts.silver(table.size);
  counts.superseded(superseded.pos.length);
  table.dropIndex();
  return superseded;
}

/** The winners of `table` in silver order, `order` being its sortedSlots(). */
export function gatherWinners(table: EventTable, order: Uint32Array): Winners {
  const n = order.length;
  const winners: Winners = {
    ts: new Float64Array(n), idBytes: new Uint8Array(0), idStart: new Float64Array(n + 1), users: new Uint32Array(n),
    userNames: table.userNames, lines: table.lines.bytes.subarray(0, table.lines.length),
    start: new Float64Array(n), end: new Float64Array(n), botAt: new Uint32Array(n), versions: new Uint32Array(n),
  };
  const idBytes = new LineBuffer(n * 16);
  for (let k = 0; k < n; k++) {
    const slot = order[k];
    winners.ts[k] = table.ts.get(slot);
    winners.idStart[k] = idBytes.push(table.ids[slot]);
    winners.users[k] = table.user.get(slot);
    winners.start[k] = table.start.get(slot);
    winners.end[k] = table.end.get(slot);
    winners.botAt[k] = table.botAt.get(slot);
    winners.versions[k] = table.versions.get(slot);
  }
  winners.idStart[n] = idBytes.length;
  winners.idBytes = idBytes.bytes.subarray(0, idBytes.length);
  return winners;
}

/** The gold state of the winners of `table`. */
export function tableGold(table: EventTable, cal: Calendar): GoldState {
  // Gold does not care about order: slot order reads memory front to back. Users are looked
  // up by name once each, then by their number in the table.
  const gold = initGold();
  const accs: (UserAcc | undefined)[] = new Array(table.userNames.length);
  for (let slot = 0; slot < table.size; slot++) {
    const user = table.user.get(slot), kind = table.kind.get(slot);
    const u = accs[user] ??= userOf(gold, table.userNames[user]);
    addWinnerToGold(u, cal, table.ids[slot], table.ts.get(slot), kind, table.micros.get(slot),
      kind === 1 ? table.channels.get(slot) : null);
  }
  return gold;
}
