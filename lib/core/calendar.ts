// Reporting calendar: days, ISO weeks (Monday) and months of event instants in one zone.
// Luxon resolves the zone's UTC offset; the offset is cached per 15-minute bucket because
// every real zone changes offset only on such a boundary, and luxon per event is slow.
import { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;

export interface Calendar {
  /** The zone's name, e.g. `UTC` or `Europe/Helsinki`. */
  zone: string;
  /** Days since 1970-01-01 of the local calendar date of `ms`. */
  dayNumber(ms: number): number;
  /** `YYYY-MM-DD` local date of `ms`. */
  day(ms: number): string;
}

/** True when `zone` is `UTC` or a valid IANA zone name. */
export function isValidZone(zone: string): boolean {
  return zone === 'UTC' || IANAZone.isValidZone(zone);
}

/** A calendar for an IANA zone; throws on an unknown zone (the boundary validates first). */
export function makeCalendar(zone: string): Calendar {
  if (zone === 'UTC') {
    return { zone, dayNumber: (ms) => Math.floor(ms / DAY_MS), day: (ms) => dayString(Math.floor(ms / DAY_MS)) };
  }
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new Error(`audicin: unknown time zone '${zone}'`);
  const offsets = new Map<number, number>();
  const offsetMs = (ms: number): number => {
    const bucket = Math.floor(ms / BUCKET_MS);
    let off = offsets.get(bucket);
    if (off === undefined) {
      off = iana.offset(bucket * BUCKET_MS) * 60_000;
      offsets.set(bucket, off);
    }
    return off;
  };
  const dayNumber = (ms: number): number => Math.floor((ms + offsetMs(ms)) / DAY_MS);
  return { zone, dayNumber, day: (ms) => dayString(dayNumber(ms)) };
}

/** Formatted days: a run touches few, and formatting a Date once per event is slow. */
const dayStrings = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayString(dayNum: number): string {
  let text = dayStrings.get(dayNum);
  if (text === undefined) {
    if (dayStrings.size > 100_000) dayStrings.clear();
    // The date part of ISO-8601, as event_ts writes it (years beyond 0000–9999 get a sign).
    const iso = new Date(dayNum * DAY_MS).toISOString();
    text = iso.slice(0, iso.indexOf('T'));
    dayStrings.set(dayNum, text);
  }
  return text;
}

/** Day number of the Monday of the ISO week holding `dayNum`. 1970-01-01 was a Thursday. */
export function mondayOf(dayNum: number): number {
  return dayNum - ((dayNum + 3) % 7 + 7) % 7;
}
