import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from './csv';

describe('csvDocument', () => {
  it('starts with a byte-order mark and a header line, quotes every cell, doubles quotes and ends lines with CRLF', () => {
    expect(csvDocument(['a', 'b'], [['قناة "C1"', 3], [null, new Date('2026-11-01T00:00:00Z')]])).toBe(
      '\uFEFFa,b\r\n"قناة ""C1""","3"\r\n"","2026-11-01T00:00:00.000Z"\r\n',
    );
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    for (const text of ['=SUM(A1)', '+1', '-2+3', '@cmd', '\tx']) expect(csvCell(text)).toBe(`"'${text}"`);
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});
