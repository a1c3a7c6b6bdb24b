// Small helpers of the bench: statistics, number parsing and the text table.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `100000`, `100k`, `1M`, `1e6` → a positive whole number; undefined when it is none. */
export function parseCount(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kKmM]?)\s*$/.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** 100000 → `100k`, 1000000 → `1M`; other numbers as they are. */
export function sizeLabel(n: number): string {
  if (n % 1e6 === 0) return `${n / 1e6}M`;
  if (n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A plain text table: first row is the header; `right[i]` aligns column i right. */
export function table(rows: string[][], right: boolean[]): string {
  const widths: number[] = [];
  const columns = rows[0]!.length;
  for (const r of rows) {
    r.forEach((c, i) => {
      // The last cell of a short row spans the columns after it: it sets no width.
      if (r.length < columns && i === r.length - 1) return;
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  const line = (r: string[]): string => {
    // A row shorter than the header lets its last cell run across the remaining columns.
    const cells = r.map((c, i) => (i === r.length - 1 && r.length < columns ? c
      : right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)));
    return cells.join('  ').trimEnd();
  };
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n') + '\n';
}
