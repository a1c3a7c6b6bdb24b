// Numeric ids (SPEC 1.1: "a number is taken as its decimal string"). A double holds every
// integer only up to 2^53, so 9007199254740993 and 9007199254740992 parse to one number:
// taken from the double, two ids would merge. An id is therefore the exact value the source
// wrote, read from the line's own text whenever the double may not be it.

/** Zeros a plain decimal may add to the written digits before the scientific form is used. */
const MAX_PADDING = 64;

const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The canonical id of a JSON number token: its exact value in plain decimal, without
 * exponent, leading zeros or trailing fractional zeros (`1e3` → `1000`, `1.50` → `1.5`,
 * `-0` → `0`). Equal values give one id and different values different ids. A value that
 * would need more than 64 padding zeros is written `d.ddde±N` instead (`1e400`), so a
 * short token never becomes a huge id. Returns the token itself if it is not a number.
 */
export function numericId(token: string): string {
  const m = JSON_NUMBER.exec(token);
  if (m === null) return token;
  const [, sign, int, frac = '', exp = '0'] = m;
  let digits = int + frac;
  // Position of the decimal point within `digits`; BigInt, as the exponent may be any size.
  let point = BigInt(int.length) + BigInt(exp);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= BigInt(lead);
  if (digits === '') return '0';
  const len = BigInt(digits.length);
  const padding = point >= len ? point - len : point <= 0n ? -point : 0n;
  if (padding > BigInt(MAX_PADDING)) {
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${point - 1n}`;
  }
  const p = Number(point);
  const plain = p >= digits.length ? digits + '0'.repeat(p - digits.length)
    : p <= 0 ? `0.${'0'.repeat(-p)}${digits}`
    : `${digits.slice(0, p)}.${digits.slice(p)}`;
  return sign + plain;
}

/** The id of a parsed number: its decimal string when it is a safe integer, as written otherwise. */
export const numberId = (n: number): string => (Number.isSafeInteger(n) ? String(n) : numericId(String(n)));

const WS = /[ \t\r\n]/;
const NUMBER_AT = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The number tokens of `names` among the top-level keys of `text`, which must be valid JSON;
 * the last of duplicate keys wins, as in JSON.parse.
 */
function topLevelNumbers(text: string, names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  let depth = 0;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c !== '"') {
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      i++;
      continue;
    }
    const start = i++;
    let escaped = false;
    while (text[i] !== '"') {
      if (text[i] === '\\') { escaped = true; i++; }
      i++;
    }
    const end = ++i;
    if (depth !== 1) continue;
    let j = i;
    while (WS.test(text[j] ?? '')) j++;
    if (text[j] !== ':') continue;
    const key = escaped ? JSON.parse(text.slice(start, end)) as string : text.slice(start + 1, end - 1);
    for (j++; WS.test(text[j] ?? ''); j++);
    if (names.includes(key)) {
      NUMBER_AT.lastIndex = j;
      const m = NUMBER_AT.exec(text);
      if (m !== null) found.set(key, m[0]);
    }
    i = j;
  }
  return found;
}

/**
 * Replaces, in a parsed top-level object, each field of `names` holding a number that is not a
 * safe integer by its id as written in `text`, the JSON it was parsed from. Costs one
 * property read per name unless such a number is there.
 */
export function keepExactIds(value: unknown, text: string, names: readonly string[]): void {
  if (typeof value !== 'object' || value === null) return;
  const obj = value as Record<string, unknown>;
  let tokens: Map<string, string> | null = null;
  for (const name of names) {
    const v = obj[name];
    if (typeof v !== 'number' || Number.isSafeInteger(v) || !Object.hasOwn(obj, name)) continue;
    tokens ??= topLevelNumbers(text, names);
    obj[name] = numericId(tokens.get(name) ?? String(v));
  }
}
