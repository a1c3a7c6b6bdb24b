// What a Parquet table looks like to the engine: named columns of a few logical kinds, each
// mapped once to its Parquet schema element and to the physical value the writer encodes.
// Values come in as the NDJSON twin holds them (dates `YYYY-MM-DD`, timestamps as ISO text
// or epoch ms, money as numbers), so a Parquet file and its NDJSON twin are one row source.
import type { ParquetWriter } from 'hyparquet-writer/src/parquet-writer.js';

/** A Parquet schema element, as the writer takes it (its own hyparquet version's type). */
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/**
 * A column's logical kind. `timestamp` is TIMESTAMP(MILLIS, isAdjustedToUTC=true) on INT64;
 * `date` is DATE on INT32 (days since 1970-01-01); `string` is UTF-8 text; `json` is UTF-8
 * JSON text (the JSON logical type) of any value; `double` is IEEE 754 binary64.
 */
export type ParquetKind = 'string' | 'json' | 'timestamp' | 'date' | 'boolean' | 'int32' | 'int64' | 'double';

export interface ParquetColumn {
  name: string;
  kind: ParquetKind;
  /** True when the column may hold nulls (OPTIONAL); false makes a null an error. Default true. */
  nullable?: boolean;
}

/** A table's columns, in file order. */
export type ParquetTable = readonly ParquetColumn[];

/** A row as handed to the writer: values by column name; a missing value is null. */
export type ParquetRow = Record<string, unknown>;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Parquet schema of `table`: the root element, then one leaf per column. */
export function schemaElements(table: ParquetTable): SchemaElement[] {
  return [{ name: 'root', num_children: table.length }, ...table.map(leaf)];
}

function leaf(col: ParquetColumn): SchemaElement {
  const repetition_type = col.nullable === false ? 'REQUIRED' : 'OPTIONAL';
  const { name } = col;
  switch (col.kind) {
    case 'string': return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'json': return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } };
    case 'timestamp': return {
      name, repetition_type, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    };
    case 'date': return { name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'boolean': return { name, repetition_type, type: 'BOOLEAN' };
    case 'int32': return { name, repetition_type, type: 'INT32' };
    case 'int64': return { name, repetition_type, type: 'INT64' };
    case 'double': return { name, repetition_type, type: 'DOUBLE' };
  }
}

function wrong(col: ParquetColumn, expected: string, v: unknown): Error {
  const got = typeof v === 'string' ? `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'` : String(v);
  return new Error(`audicin: parquet column ${col.name}: expected ${expected}, got ${got}`);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` text. */
export function dateDays(text: string): number {
  const m = DATE.exec(text);
  return m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/**
 * The values of column `col` over `rows`, as hyparquet-writer encodes them: a date as its day
 * number, a timestamp and an int64 as a bigint, JSON as the value itself (the writer
 * serialises it), null as null. A value of the wrong type throws, naming the column.
 */
export function columnValues(col: ParquetColumn, rows: readonly ParquetRow[]): unknown[] {
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![col.name] ?? null;
    if (v === null) {
      if (col.nullable === false) throw wrong(col, 'a value', v);
      out[i] = null;
      continue;
    }
    out[i] = physical(col, v);
  }
  return out;
}

function physical(col: ParquetColumn, v: unknown): unknown {
  switch (col.kind) {
    case 'string':
      if (typeof v !== 'string') throw wrong(col, 'a string', v);
      return v;
    case 'json':
      return v;
    case 'timestamp': {
      const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
      if (!Number.isSafeInteger(ms)) throw wrong(col, 'an ISO timestamp or epoch ms', v);
      return BigInt(ms);
    }
    case 'date': {
      const days = typeof v === 'string' ? dateDays(v) : NaN;
      if (!Number.isInteger(days)) throw wrong(col, 'a date YYYY-MM-DD', v);
      return days;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw wrong(col, 'a boolean', v);
      return v;
    case 'int32':
      if (!Number.isInteger(v) || (v as number) < -(2 ** 31) || (v as number) >= 2 ** 31) throw wrong(col, 'a 32-bit integer', v);
      return v;
    case 'int64':
      if (!Number.isSafeInteger(v)) throw wrong(col, 'an integer', v);
      return BigInt(v as number);
    case 'double':
      if (typeof v !== 'number') throw wrong(col, 'a number', v);
      return v;
  }
}
