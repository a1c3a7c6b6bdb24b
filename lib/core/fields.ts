// Field readers shared by the validators: ids, optional strings, and the rejection shape.
import { numberId } from './numeric-ids.js';
import type { QuarantineReason } from './types.js';

/** Why a record failed: the first rule it broke (SPEC 2) and a short human detail. */
export interface Rejection {
  reason: QuarantineReason;
  detail: string;
}

export const reject = (reason: QuarantineReason, detail: string): Rejection => ({ reason, detail });

/** A short, safe rendering of a raw value for a rejection's detail. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON would show NaN and Infinity as null, and cannot show a BigInt at all.
  const text = typeof value === 'number' ? String(value) : typeof value === 'bigint' ? `${value}n`
    : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A trimmed id: a string, or a number taken as its decimal string (see numeric-ids.ts; the
 * readers have already replaced numbers a double cannot hold exactly); null when absent or empty.
 */
export function readId(value: unknown): string | null {
  if (typeof value === 'string') {
    const s = value.trim();
    return s === '' ? null : s;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return numberId(value);
  return null;
}

/** A string column: the string itself, else null. */
export const readText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of `obj` not in `known`, or null when there are none (schema evolution). */
export function extraFields(obj: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | null {
  let extra: Record<string, unknown> | null = null;
  for (const key in obj) {
    // Defined, not assigned: assigning `__proto__` would set the prototype and drop the field.
    if (!known.has(key)) Object.defineProperty(extra ??= {}, key, { value: obj[key], enumerable: true, writable: true, configurable: true });
  }
  return extra;
}
