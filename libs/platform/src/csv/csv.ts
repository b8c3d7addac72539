/** A CSV cell: quoted, quotes doubled; a leading =, +, - or @ defused so spreadsheets do not run it. */
export function csvCell(value: unknown): string {
  let text =
    value === undefined || value === null ? '' : typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A CSV file for spreadsheets: a header line of column names, one line per row, CRLF line ends, every cell
 * through `csvCell`, and a byte-order mark so spreadsheet programs read the Arabic as UTF-8.
 */
export function csvDocument(header: readonly CsvColumn[], rows: Iterable<readonly unknown[]>): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A column name of a CSV header: lower-case words joined by underscores, so it needs no quoting. */
export type CsvColumn = Lowercase<string>;
