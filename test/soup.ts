// Record soups for the property tests: fast-check arbitraries of raw source lines mixing
// valid records, duplicates (equal and different timestamps), every kind of invalid record,
// blank lines and bot bursts. Each line knows whether it is blank and its tie group: lines of
// one group are versions whose order decides the winner (same event_id and same instant; same
// subscription_id and same created_at; same marketing date and channel), so a shuffle that
// keeps each group's relative order must not change any output.
import fc from 'fast-check';

export interface SoupLine {
  text: string;
  /** Versions of one key at one instant share a tie group; null when arrival order cannot matter. */
  tie: string | null;
  blank: boolean;
}

export interface Soup {
  events: SoupLine[];
  /** Elements of the subscriptions array (never empty slots). */
  subscriptions: SoupLine[];
  /** Data rows of the marketing CSV (the header is added when written). */
  marketing: SoupLine[];
  /** Line ends of the NDJSON and CSV files. */
  crlf: boolean;
}

const line = (text: string, tie: string | null = null): SoupLine => ({ text, tie, blank: false });
const BLANKS = ['', '   ', '\t'].map((text): SoupLine => ({ text, tie: null, blank: true }));

/** Instants on either side of midnight and over three ISO weeks of January 2026. */
const INSTANTS = ['2026-01-05T10:00:00Z', '2026-01-05T23:30:00Z', '2026-01-06T00:15:00Z', '2026-01-07T12:00:00Z',
  '2026-01-12T08:00:00Z', '2026-01-20T18:45:30Z'].map((s) => Date.parse(s));

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function wall(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:` +
    `${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** One instant in one of the forms of SPEC 1.2 (forms that hold only whole seconds fall back to ISO with ms). */
export function formatTs(ms: number, form: number): string | number {
  const frac = `.${pad(ms % 1000, 3)}`;
  if (ms % 1000 !== 0 && ![1, 2, 8].includes(form)) form = 1;
  switch (form) {
    case 0: return `${wall(ms, 0)}Z`;
    case 1: return `${wall(ms, 0)}${frac}Z`;
    case 2: return `${wall(ms, 0)}${frac}789Z`;
    case 3: return `${wall(ms, 120)}+0200`;
    case 4: return `${wall(ms, -300)}-05:00`;
    case 5: return wall(ms, 0).replace('T', ' ');
    case 6: return wall(ms, 0);
    case 7: return ms / 1000;
    default: return ms;
  }
}
const FORMS = 9;

const timestamp = fc.record({ at: fc.constantFrom(...INSTANTS), form: fc.nat(FORMS - 1) });

const idPool = fc.nat(11).chain((n) => n >= 9
  ? fc.constantFrom<[unknown, string]>([n, String(n)], [String(n), String(n)]) // a numeric id is its decimal string
  : fc.constantFrom<[unknown, string]>([`e${n}`, `e${n}`], [` e${n} `, `e${n}`]));

/** A valid event: [fields, trimmed id, instant]. */
const validEvent = fc.record({
  id: idPool,
  user: fc.constantFrom('u0', 'u1', ' u2 ', 'u3', 'u4'),
  type: fc.constantFrom('signup', 'login', 'page_view', 'purchase', 'refund', 'share', ' Login ', 'PURCHASE'),
  ts: timestamp,
  amount: fc.constantFrom<unknown>(9.99, '4.99', 0, 12.345, 1000, 0.005),
  negative: fc.boolean(),
  currency: fc.constantFrom<unknown>(undefined, null, 'USD', 'eur', ' ngn '),
  tax: fc.constantFrom<unknown>(undefined, null, 0, '0.50'),
  channel: fc.constantFrom<unknown>(undefined, null, 'Google', ' google ', 'TikTok', 'Organic'),
  extra: fc.constantFrom<Record<string, unknown>>({}, { device: 'ios' }, { nested: { a: [1, 'é'] } }, { page: '/p/😀' }),
}).map((r) => {
  const type = r.type.trim().toLowerCase();
  const fields: Record<string, unknown> = {
    event_id: r.id[0], user_id: r.user, event_type: r.type, timestamp: formatTs(r.ts.at, r.ts.form), ...r.extra,
  };
  if (type === 'purchase' || type === 'refund') {
    fields.amount = type === 'refund' && r.negative && typeof r.amount === 'number' ? -r.amount : r.amount;
    if (r.currency !== undefined) { fields.currency = r.currency; fields.schema_version = 2; }
    if (r.tax !== undefined) fields.tax = r.tax;
  }
  if (type === 'signup' && r.channel !== undefined) fields.acquisition_channel = r.channel;
  return { fields, id: r.id[1], at: r.ts.at };
});

const validEventLine = validEvent.map((e) => line(JSON.stringify(e.fields), `${e.id}|${e.at}`));

/** Each way an event breaks a rule of SPEC 2, applied to a valid one (same id pool: invalid versions of valid ids). */
const SPOILS: ((f: Record<string, unknown>) => void)[] = [
  (f) => { delete f.event_id; }, (f) => { f.event_id = null; }, (f) => { f.event_id = ''; }, (f) => { f.event_id = '   '; },
  (f) => { delete f.user_id; }, (f) => { f.user_id = null; },
  (f) => { delete f.event_type; }, (f) => { f.event_type = null; },
  ...['2026-02-30T10:00:00Z', '2026-01-10T25:00:00Z', '2026-13-01T00:00:00Z', 'yesterday', '', null, undefined]
    .map((t) => (f: Record<string, unknown>) => { f.timestamp = t; }),
  ...[undefined, null, 'ten', 'abc', '1,99'].map((a) => (f: Record<string, unknown>) => { f.event_type = 'purchase'; f.amount = a; }),
  ...[-9.99, '-4.99'].map((a) => (f: Record<string, unknown>) => { f.event_type = 'purchase'; f.amount = a; }),
  ...['GBP', 'JPY'].map((c) => (f: Record<string, unknown>) => { f.event_type = 'refund'; f.amount = 3; f.currency = c; }),
  ...[-1, 'abc'].map((t) => (f: Record<string, unknown>) => { f.event_type = 'purchase'; f.amount = 3; f.tax = t; }),
];

const spoiltEventLine = fc.tuple(validEvent, fc.nat(SPOILS.length - 1)).map(([e, k]) => {
  const fields = { ...e.fields };
  SPOILS[k]!(fields);
  return line(JSON.stringify(fields));
});

const JUNK = ['{"event_id":"x1","user_id":', "{'event_id': 'x2'}", '{"event_id":"x3","a":1,}', 'not json', '\u00ff\u00fe',
  '[1,2]', '"str"', '42', 'null', 'true'];

/** A user with 21–25 events inside one second (a bot), ids unique to the burst. */
const burst = fc.record({ bot: fc.nat(1), at: fc.constantFrom(...INSTANTS), steps: fc.array(fc.nat(45), { minLength: 21, maxLength: 25 }),
  form: fc.constantFrom(1, 2, 8) }).map((b) => {
  let t = b.at;
  return b.steps.map((step, i) => {
    t += step;
    const id = `b${b.bot}-${b.at}-${i}`;
    return line(JSON.stringify({ event_id: id, user_id: `bot${b.bot}`, event_type: i === 0 ? 'signup' : 'page_view',
      timestamp: formatTs(t, b.form) }), `${id}|${t}`);
  });
});

const eventLines: fc.Arbitrary<SoupLine[]> = fc.array(fc.oneof(
  { weight: 8, arbitrary: validEventLine.map((l) => [l]) },
  { weight: 4, arbitrary: spoiltEventLine.map((l) => [l]) },
  { weight: 1, arbitrary: fc.constantFrom(...JUNK).map((t) => [line(t)]) },
  { weight: 1, arbitrary: fc.constantFrom(...BLANKS).map((l) => [l]) },
  { weight: 1, arbitrary: fc.oneof({ weight: 1, arbitrary: burst }, { weight: 4, arbitrary: fc.constant([] as SoupLine[]) }) },
), { maxLength: 60, size: 'medium' }).map((groups) => groups.flat());

const CREATED = ['2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z', '2026-02-01T12:00:00Z'].map((s) => Date.parse(s));

const validSub = fc.record({
  id: fc.nat(5), user: fc.nat(5), price: fc.constantFrom<unknown>(9.99, '9.99', 0, 4.99, 12.345),
  currency: fc.constantFrom<unknown>(undefined, 'USD', 'eur'),
  span: fc.constantFrom<[string, string | null | undefined]>(['2026-01-01', null], ['2026-01-15', undefined],
    ['2026-01-10T10:00:00Z', '2026-02-01'], ['2026-01-01', '2026-03-15'], ['2026-02-01', '2026-02-01']),
  status: fc.constantFrom('active', 'canceled', 'Cancelled', 'ACTIVE'),
  created: fc.record({ at: fc.constantFrom(...CREATED), form: fc.nat(FORMS - 1) }),
}).map((s) => {
  const [start, end] = s.span;
  const fields: Record<string, unknown> = { subscription_id: `s${s.id}`, user_id: `u${s.user}`, plan: 'monthly', price: s.price,
    start_date: start, status: end === null || end === undefined ? 'active' : s.status, created_at: formatTs(s.created.at, s.created.form) };
  if (s.currency !== undefined) fields.currency = s.currency;
  if (end !== undefined) fields.end_date = end;
  return { fields, tie: `s${s.id}|${s.created.at}` };
});

const SUB_SPOILS: ((f: Record<string, unknown>) => void)[] = [
  (f) => { delete f.subscription_id; }, (f) => { f.subscription_id = null; }, (f) => { delete f.user_id; },
  (f) => { f.price = 'free'; }, (f) => { f.price = -9.99; }, (f) => { delete f.price; }, (f) => { f.currency = 'GBP'; },
  (f) => { f.start_date = 'someday'; }, (f) => { f.start_date = '2026-02-30'; }, (f) => { f.end_date = '2026-13-01'; },
  (f) => { f.end_date = '2025-12-01'; }, (f) => { f.status = 'paused'; }, (f) => { f.created_at = 'not a time'; },
  (f) => { f.status = 'canceled'; f.end_date = null; },
];

const subLines: fc.Arbitrary<SoupLine[]> = fc.array(fc.oneof(
  { weight: 6, arbitrary: validSub.map((s) => line(JSON.stringify(s.fields), s.tie)) },
  { weight: 3, arbitrary: fc.tuple(validSub, fc.nat(SUB_SPOILS.length - 1)).map(([s, k]) => {
    const fields = { ...s.fields };
    SUB_SPOILS[k]!(fields);
    return line(JSON.stringify(fields));
  }) },
  { weight: 1, arbitrary: fc.constantFrom('42', '"oops"', 'null', '{"subscription_id": "s9", "price": }').map((t) => line(t)) },
), { maxLength: 20 });

const marketingLines: fc.Arbitrary<SoupLine[]> = fc.array(fc.oneof(
  { weight: 6, arbitrary: fc.record({ date: fc.constantFrom('2026-01-01', '2026-01-05', '2026-01-06'),
    channel: fc.constantFrom('Google', ' google ', 'TikTok', 'facebook', 'Podcast'), spend: fc.constantFrom('100', '50.5', '0', '7.25', '0.004') })
    .map((m) => line(`${m.date},${m.channel},${m.spend}`, `${m.date}|${m.channel.trim().toLowerCase()}`)) },
  { weight: 3, arbitrary: fc.constantFrom('2026-01-05,TikTok,n/a', '2026-01-05,Google,-5', '2026-13-01,Google,1', '2026-01-05,,10',
    '2026-01-05,Google', '2026-01-05,Google,1,2', '"x,1').map((t) => line(t)) },
  { weight: 1, arbitrary: fc.constantFrom(...BLANKS.slice(0, 2)) },
), { maxLength: 20 });

/** A soup of all three sources. */
export const soup: fc.Arbitrary<Soup> = fc.record({ events: eventLines, subscriptions: subLines, marketing: marketingLines, crlf: fc.boolean() });

/** The three files' texts. */
export function soupFiles(s: Soup): { events: string; subscriptions: string; marketing: string } {
  const eol = s.crlf ? '\r\n' : '\n';
  return {
    events: s.events.map((l) => l.text + eol).join(''),
    subscriptions: `[\n${s.subscriptions.map((l) => l.text).join(',\n')}\n]\n`,
    marketing: ['date,channel,spend', ...s.marketing.map((l) => l.text)].map((l) => l + eol).join(''),
  };
}

/** Lineage positions of the records of each source (blank lines are not records). */
export function soupPositions(s: Soup): { events: number[]; subscriptions: number[]; marketing: number[] } {
  const records = (lines: SoupLine[], first: number): number[] =>
    lines.flatMap((l, i) => (l.blank ? [] : [i + first]));
  return { events: records(s.events, 1), subscriptions: records(s.subscriptions, 1), marketing: records(s.marketing, 2) };
}

/**
 * A random permutation of `lines` that keeps the relative order inside each tie group:
 * returns `order`, where `order[j]` is the original index of the line placed at j.
 */
export function tieShuffle(lines: SoupLine[], random: () => number): number[] {
  const order = lines.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  // Each group keeps the slots the shuffle gave it, refilled in original order.
  const slots = new Map<string, number[]>();
  order.forEach((orig, j) => {
    const tie = lines[orig]!.tie;
    if (tie !== null) slots.set(tie, [...(slots.get(tie) ?? []), j]);
  });
  for (const js of slots.values()) {
    const members = js.map((j) => order[j]!).sort((a, b) => a - b);
    js.forEach((j, k) => { order[j] = members[k]!; });
  }
  return order;
}
