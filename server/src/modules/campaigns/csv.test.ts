import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.ts';

describe('csv for French Excel', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+33612345678', "'+33612345678"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
    ['a;b', '"a;b"'],
    ['ligne\nsuite', '"ligne\nsuite"'],
    ['Chérie "Zoé"', '"Chérie ""Zoé"""'],
    ['REF-001', 'REF-001'],
  ])('%j → %j', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it('writes empty cells for null and CRLF lines', () => {
    expect(csvLine(['a', null, 3, true])).toBe('a;;3;true\r\n');
  });
});
