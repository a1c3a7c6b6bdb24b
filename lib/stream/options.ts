// Options of streaming mode (SPEC 8), normalised once at the boundary like the batch ones.
import { AudicinError } from '../core/errors.js';
import { badOption, checkOptionsObject, resolveOptions } from '../options.js';

/** What a library user may set for the stream engine; every field has a default. */
export interface StreamOptions {
  /** Dedup window in ms: an id is final once the watermark is more than this past its event_ts. Default one hour. */
  windowMs?: number;
  /**
   * How long, in ms of event time past the window, a final id is still recognised, so a
   * later version of it is `late_event` rather than a new row. Default: `windowMs`.
   */
  retainMs?: number;
  /** Lineage `source` of records and quarantine rows. Default `stdin`. */
  source?: string;
  /** IANA zone for `event_date`. Default `UTC`. */
  timezone?: string;
  /** USD per unit of each currency code. Default USD 1, EUR 1.08, NGN 0.00065. */
  fx?: Record<string, number>;
  /** More than this many events in one bot window make a bot. Default 20. */
  botThreshold?: number;
  /** Sliding bot window in ms of event time. Default 1000. */
  botWindowMs?: number;
  /** Longest accepted line in bytes. Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * The stream's clock pinned (a SPEC 1.2 timestamp, epoch seconds or ms): events more than
   * one day after it are `implausible_timestamp`. Default: the wall clock as each chunk is pushed,
   * so a stream that runs for days keeps accepting its current events.
   */
  now?: number | string;
}

/** Resolved stream options: `now` is the pinned clock in UTC ms, or null for the wall clock at each chunk. */
export type ResolvedStreamOptions = Required<Omit<StreamOptions, 'now'>> & { now: number | null };

/** Validates and fills in defaults, sharing the batch run's rules for the common options. */
export function resolveStreamOptions(options: StreamOptions = {}): ResolvedStreamOptions {
  checkOptionsObject(options);
  const base = resolveOptions({
    windowMs: options.windowMs, timezone: options.timezone, fx: options.fx,
    botThreshold: options.botThreshold, botWindowMs: options.botWindowMs, maxLineBytes: options.maxLineBytes,
    now: options.now,
  });
  const retainMs = options.retainMs ?? base.windowMs;
  if (!Number.isSafeInteger(retainMs) || retainMs < 0) throw badOption('retain', 'a whole number of ms >= 0', retainMs);
  const source: unknown = options.source ?? 'stdin';
  if (typeof source !== 'string' || source === '') throw badOption('source', 'a non-empty string', source);
  return {
    windowMs: base.windowMs,
    retainMs,
    source,
    timezone: base.timezone,
    fx: base.fx,
    botThreshold: base.botThreshold,
    botWindowMs: base.botWindowMs,
    maxLineBytes: base.maxLineBytes,
    now: options.now === undefined ? null : base.now,
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as people write it: `1h`, `30m`, `90s`, `500ms`, `1.5h`, `2d`, or a plain
 * number of ms. Throws `E_BAD_OPTION` naming `name` unless it is a positive whole number of ms.
 */
export function parseDuration(text: string, name = 'window'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[(m[2] ?? 'ms').toLowerCase()];
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new AudicinError('E_BAD_OPTION', `--${name}: expected a duration like 1h, 30m, 90s, 500ms or a number of ms, got '${text}'`);
  }
  return ms;
}
