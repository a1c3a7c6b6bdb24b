// Timestamps (SPEC 1.2) to UTC epoch milliseconds, and dates (SPEC 2) to `YYYY-MM-DD`.
// One regex covers every textual format; offsets are plain arithmetic, so luxon is kept for
// zone rules (calendar.ts). Further fractional digits past milliseconds are dropped.

const TS_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH_SECONDS_BELOW = 1e11;
/** Instants are kept to years 1000–9999, whatever the format: four-digit years, and a day in any zone stays a Date. */
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const inRange = (ms: number): number => (ms >= MIN_MS && ms <= MAX_MS ? ms : NaN);

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]);
}

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const num2 = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * UTC ms of a local date and time at a UTC offset of `sign` (1 or -1) `oh` hours and `om`
 * minutes, or NaN when a part is out of range or the instant is outside years 1000–9999. The
 * one check of every textual format: the regex path below and the byte scanner (scan-event.ts).
 */
export function utcInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number,
  sign: number, oh: number, om: number): number {
  // NaN (a non-digit) fails every comparison below.
  if (!(y >= 1000) || !validDate(y, mo, d) || !(h <= 23) || !(mi <= 59) || !(s <= 59) || !(ms >= 0) || !(oh <= 23) || !(om <= 59)) return NaN;
  return inRange(Date.UTC(y, mo - 1, d, h, mi, s, ms) - sign * (oh * 60 + om) * 60_000);
}

/**
 * The common `YYYY-MM-DDTHH:MM:SSZ` and `…:SS.mmmZ` without a regex, or undefined for any
 * other shape (the regex path then decides). Same rules as the regex path.
 */
function plainUtc(s: string): number | undefined {
  const len = s.length;
  if ((len !== 20 && len !== 24) || s.charCodeAt(len - 1) !== 90 /* Z */ || s.charCodeAt(10) !== 84 /* T */
    || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58
    || (len === 24 && s.charCodeAt(19) !== 46 /* . */)) return undefined;
  const ms = len === 24 ? digit(s, 20) * 100 + num2(s, 21) : 0;
  return utcInstant(num2(s, 0) * 100 + num2(s, 2), num2(s, 5), num2(s, 8), num2(s, 11), num2(s, 14), num2(s, 17), ms, 1, 0, 0);
}

/** UTC ms of a SPEC 1.2 timestamp, or NaN when it is absent, malformed or impossible. */
export function parseTimestamp(value: unknown): number {
  if (typeof value === 'number') {
    const ms = Math.trunc(Math.abs(value) < EPOCH_SECONDS_BELOW ? value * 1000 : value);
    return inRange(ms);
  }
  if (typeof value !== 'string') return NaN;
  return plainUtc(value) ?? parseTimestampText(value);
}

/** The general path for a textual timestamp: one regex for every SPEC 1.2 format. */
export function parseTimestampText(value: string): number {
  const m = TS_RE.exec(value.trim());
  if (m === null) return NaN;
  const ms = m[7] === undefined ? 0 : +m[7].slice(0, 3).padEnd(3, '0');
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return utcInstant(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], ms, 1, 0, 0);
  return utcInstant(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], ms, zone[0] === '-' ? -1 : 1, +zone.slice(1, 3), +zone.slice(zone.length - 2));
}

/** The earliest plausible event instant (SPEC 2): the app's data cannot predate 2000. */
const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);
/** How far past the run's clock an event may lie: clock skew of devices, not placeholders like 2126 or 9999. */
const FUTURE_SLACK_MS = 86_400_000;

/**
 * Why a valid instant cannot be a real event (SPEC 2, `implausible_timestamp`), or null when
 * it can: before 2000-01-01T00:00:00Z, or more than one day after `now` (exactly one day is
 * allowed). The detail never names `now`: quarantine files hold no wall-clock time.
 */
export function implausibility(ms: number, now: number): string | null {
  if (ms < EARLIEST_PLAUSIBLE_MS) return `timestamp ${isoUtc(ms)} is before 2000-01-01`;
  if (ms > now + FUTURE_SLACK_MS) return `timestamp ${isoUtc(ms)} is more than one day in the future`;
  return null;
}

/** `YYYY-MM-DD` of a date or timestamp (its UTC date), or null when unparseable. */
export function parseDate(value: unknown): string | null {
  if (typeof value === 'string') {
    const m = DATE_RE.exec(value.trim());
    if (m !== null) return validDate(+m[1], +m[2], +m[3]) ? m[0] : null;
  }
  const ms = parseTimestamp(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/**
 * Splits the instant `ms` into its UTC day number, returned, and its time of day, written into
 * `clock` as [hours, minutes, seconds, milliseconds] (the caller's array: no allocation).
 */
export function clockOf(ms: number, clock: number[]): number {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  clock[0] = h;
  clock[1] = m;
  clock[2] = s;
  clock[3] = rest - s * 1000;
  return day;
}

const isoClock = [0, 0, 0, 0];
/** `YYYY-MM-DDT` by day number: a run touches few days, and Date formatting is slow. */
const dayPrefixes = new Map<number, string>();
const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** Silver's instant format: ISO-8601 UTC with milliseconds, as `Date#toISOString`. */
export function isoUtc(ms: number): string {
  const day = clockOf(ms, isoClock);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    const iso = new Date(day * DAY_MS).toISOString();
    prefix = iso.slice(0, iso.indexOf('T') + 1);
    dayPrefixes.set(day, prefix);
  }
  const [h, m, s, milli] = isoClock as [number, number, number, number];
  return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(milli)}Z`;
}
