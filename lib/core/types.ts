// Shared types of the engine: options, silver rows, quarantine rows and the report.
// Money inside the engine is integer micro-dollars (USD × 1e6) so sums are exact and
// independent of the order in which partial states are merged.

/** The three sources of a run. */
export type SourceName = 'events' | 'subscriptions' | 'marketing_spend';

/** Options after normalisation at the CLI or library boundary (see options.ts). */
/** How a batch run writes silver tables. */
export type SilverFormat = 'parquet' | 'ndjson';

export interface ResolvedOptions {
  /** Folder holding the sources. Default `fixtures/sample` of this package. */
  input: string;
  /** Folder receiving the lakehouse. Default `lakehouse`. */
  out: string;
  /** File name of each source inside `input`. */
  files: Record<SourceName, string>;
  /** IANA zone for event days, weeks and months. Default `UTC`. */
  timezone: string;
  /** USD per unit of each currency code. Default USD 1, EUR 1.08, NGN 0.00065. */
  fx: Record<string, number>;
  /** A user is a bot with more than this many events in one window. Default 20. */
  botThreshold: number;
  /** Sliding bot window in ms of event time. Default 1000. */
  botWindowMs: number;
  /** Longest accepted line in bytes; longer ones are `line_too_long`. Default 1 MiB. */
  maxLineBytes: number;
  /** Streaming dedup window in ms. Default one hour. */
  windowMs: number;
  /** Threads sharing the events of a batch run; 0 (default) picks every core for a large file. */
  workers: number;
  /**
   * Memory budget of a batch run in bytes: an events file that would not fit is processed
   * out of core, in buckets spilled inside the staging folder. Default 1 GiB.
   */
  memory: number;
  /**
   * The silver tables' format in a batch run: `parquet` (default; events in day partitions
   * `silver/events/event_date=YYYY-MM-DD/part-0.parquet`) or `ndjson` (`silver/<table>.ndjson`).
   */
  format: SilverFormat;
  /**
   * The run's clock, UTC epoch ms: events more than one day after it are `implausible_timestamp`.
   * Default: the wall clock when the options are resolved (the start of the run). Never written to any output.
   */
  now: number;
}

/** A record's place in its source: `pos` is the 1-based physical line (NDJSON, CSV) or element index (JSON array). */
export interface Lineage {
  source: string;
  pos: number;
}

/** One silver event, as written to `silver/events.ndjson` (plus internal fields). */
export interface SilverEvent {
  event_id: string;
  user_id: string;
  /** Trimmed, lower-cased; unknown types are kept. */
  event_type: string;
  /** UTC epoch milliseconds. */
  ts: number;
  schema_version: number;
  /** Purchases and refunds only: the amount in `currency`; a refund's amount is `|amount|`. */
  amount: number | null;
  currency: string | null;
  /** `amount` in integer micro-dollars; null for events that are not purchases or refunds. */
  usd_micros: number | null;
  tax: number | null;
  refers_to_event_id: string | null;
  page: string | null;
  /** As given on the event (trimmed), or null. Gold lower-cases it. */
  acquisition_channel: string | null;
  /** Unknown extra fields, untouched; null when there are none. */
  attributes: Record<string, unknown> | null;
  source: string;
  pos: number;
  /** How many valid versions the id had. Set by dedup. */
  versions: number;
  /** Set by bot detection. */
  is_bot: boolean;
}

/** One silver subscription. Dates are `YYYY-MM-DD`. */
export interface SilverSubscription {
  subscription_id: string;
  user_id: string;
  plan: string | null;
  /** `active` or `canceled`. */
  status: 'active' | 'canceled';
  price: number;
  currency: string;
  price_micros: number;
  start_date: string;
  end_date: string | null;
  /** UTC epoch ms. */
  created_at: number;
  attributes: Record<string, unknown> | null;
  source: string;
  pos: number;
  versions: number;
}

/** One silver marketing row. `channel` is trimmed and lower-cased; spend is USD. */
export interface SilverMarketing {
  date: string;
  channel: string;
  spend_micros: number;
  source: string;
  pos: number;
  versions: number;
}

/** Stable quarantine reason codes (SPEC 2 and 9). */
export type QuarantineReason =
  | 'invalid_json' | 'not_an_object' | 'line_too_long'
  | 'missing_event_id' | 'missing_user_id' | 'missing_event_type' | 'invalid_timestamp'
  | 'implausible_timestamp'
  | 'missing_amount' | 'invalid_amount' | 'amount_out_of_range' | 'negative_amount' | 'unknown_currency' | 'invalid_tax'
  | 'missing_subscription_id' | 'invalid_price' | 'invalid_start_date' | 'invalid_end_date'
  | 'end_before_start' | 'invalid_status' | 'missing_end_date' | 'invalid_created_at'
  | 'malformed_row' | 'invalid_date' | 'missing_channel' | 'invalid_spend' | 'negative_spend'
  | 'late_event';

/** One row of `quarantine/<source>.ndjson`. */
export interface QuarantineRow {
  source: string;
  pos: number;
  reason: QuarantineReason;
  detail: string;
  raw: string;
}

/** Per-source counters of `report.json`. */
export interface SourceReport {
  file: string;
  records: number;
  blank_lines: number;
  silver: number;
  superseded: number;
  quarantined: Partial<Record<QuarantineReason, number>>;
  /** JSON array sources: how often the splitter cut a broken stretch at the next element boundary; absent when never. */
  resynchronised?: number;
}
