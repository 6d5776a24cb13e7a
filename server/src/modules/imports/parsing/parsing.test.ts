import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { detectEncoding, Utf8Check } from './encoding.ts';
import { LIMITS } from './limits.ts';
import { detectDelimiter } from './delimiter.ts';
import { csvBatches } from './csv.ts';
import { cellText, scanXlsx, xlsxRows } from './xlsx.ts';
import { sniffCsv } from './source.ts';
import type { RawRow } from './rows.ts';

const collect = async (rows: AsyncIterable<RawRow>) => {
  const out: RawRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
};
/** Records one by one, read in batches of 2 rows (batch boundaries must not matter). */
async function* csvBatchRows(source: Readable, encoding: 'utf-8' | 'windows-1252', delimiter: ';') {
  for await (const batch of csvBatches(source, encoding, delimiter, { rows: 2, chars: 1_000 })) yield* batch;
}
const pieces = (buf: Buffer, size: number) => Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size));
const chunks = (buf: Buffer, size: number) => Readable.from(pieces(buf, size));

describe('detectEncoding', () => {
  it.each([
    ['UTF-8 BOM', Buffer.from('\uFEFFNom;Prénom\n'), 'utf-8'],
    ['UTF-8 without BOM', Buffer.from('Nom;Prénom;Hélène\n'), 'utf-8'],
    ['plain ASCII', Buffer.from('Nom;Tel\n'), 'utf-8'],
    ['Windows-1252', iconv.encode('Nom;Prénom;Hélène;Œillet;€\n', 'windows-1252'), 'windows-1252'],
    ['ISO-8859-1 (read as Windows-1252)', iconv.encode('Nom;Prénom;Noël\n', 'latin1'), 'windows-1252'],
    ['UTF-16LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('Nom\tTel\n', 'utf-16le')]), 'utf-16le'],
  ])('%s', (_name, bytes, expected) => {
    expect(detectEncoding(bytes, false).encoding).toBe(expected);
  });

  it('keeps UTF-8 when the sample cuts a multi-byte character', () => {
    const bytes = Buffer.from('Nom;Prénom;Hélène');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), true).encoding).toBe('utf-8');
  });

  it('refuses binary junk (NUL bytes, control characters)', () => {
    expect(() => detectEncoding(Buffer.from([0x4e, 0x6f, 0x6d, 0x00, 0x41]), false)).toThrow(expect.objectContaining({ code: 'BINARY_FILE' }));
    const controls = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    expect(() => detectEncoding(controls, false)).toThrow(expect.objectContaining({ code: 'BINARY_FILE' }));
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['Nom;Prénom;Tel\nA;B;1\nC;D;2\n', ';'],
    ['Nom,Prénom,Tel\nA,B,1\nC,D,2\n', ','],
    ['Nom\tPrénom\tTel\nA\tB\t1\n', '\t'],
    // commas inside a ;-separated file (addresses, decimals) do not fool it
    ['Nom;Adresse;Montant\nA;"1, rue X";12,50\nB;"2, rue Y";3,10\n', ';'],
    // separators inside quotes across lines are ignored
    ['Nom,Note\n"A;B;C\nD;E",1\nF,2\n', ','],
    ['Téléphone\n0690000001\n', ';'],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe('csvRows', () => {
  it('reads CRLF and LF, quotes, quoted newlines, ragged rows, numbering records as Excel does', async () => {
    const text = 'a;b;c\r\n1;"x\r\ny";3\r\n4;5\n\n"6;""7""";8;9;10\n';
    const rows = await collect(csvBatchRows(chunks(Buffer.from(text), 3), 'utf-8', ';'));
    expect(rows).toEqual([
      { rowNo: 1, cells: ['a', 'b', 'c'] },
      { rowNo: 2, cells: ['1', 'x\r\ny', '3'] },
      { rowNo: 3, cells: ['4', '5'] },
      { rowNo: 5, cells: ['6;"7"', '8', '9', '10'] },
    ]);
  });

  it('counts blank lines and rows of separators only (Excel shows them) without returning them', async () => {
    const text = 'Nom;Tel\r\n\r\nA;0690000001\r\n;;\r\n ; \r\nB;0690000002\r\n\r\n';
    expect(await collect(csvBatchRows(Readable.from([text]), 'utf-8', ';'))).toEqual([
      { rowNo: 1, cells: ['Nom', 'Tel'] },
      { rowNo: 3, cells: ['A', '0690000001'] },
      { rowNo: 6, cells: ['B', '0690000002'] },
    ]);
  });

  it('honours and hides Excel\'s "sep=" first line', async () => {
    const text = 'sep=,\r\nNom,Tel\r\nA,0690000001\r\n';
    expect(detectDelimiter(text)).toBe(',');
    const rows: RawRow[] = [];
    for await (const batch of csvBatches(Readable.from([text]), 'utf-8', ',', { rows: 10, chars: 1_000 })) rows.push(...batch);
    expect(rows).toEqual([
      { rowNo: 1, cells: ['Nom', 'Tel'] },
      { rowNo: 2, cells: ['A', '0690000001'] },
    ]);
  });

  it('refuses a file whose quote never closes, naming the row, instead of swallowing the rest', async () => {
    const text = 'Nom;Tel\nA;0690000001\n"Résidence B;0690000002\nC;0690000003\nD;0690000004\n';
    await expect(collect(csvBatchRows(Readable.from([text]), 'utf-8', ';'))).rejects.toMatchObject({ code: 'UNCLOSED_QUOTE', details: { row: 3 } });
  });

  it('decodes Windows-1252 across chunk boundaries and strips the UTF-8 BOM', async () => {
    const cp = await collect(csvBatchRows(chunks(iconv.encode('Nom\nHélène\nFrançoise\n', 'windows-1252'), 2), 'windows-1252', ';'));
    expect(cp.map((r) => ('cells' in r ? r.cells[0] : null))).toEqual(['Nom', 'Hélène', 'Françoise']);
    const bom = await collect(csvBatchRows(chunks(Buffer.from('\uFEFFNom;Tel\nA;1\n'), 1), 'utf-8', ';'));
    expect(bom[0]).toEqual({ rowNo: 1, cells: ['Nom', 'Tel'] });
  });

  it('refuses one row with too many columns or too long a cell, and goes on', async () => {
    const text = `a;b\n${'x;'.repeat(50_000)}\n${'y'.repeat(2_001)};1\nok;2\n`;
    expect(await collect(csvBatchRows(Readable.from([text]), 'utf-8', ';'))).toEqual([
      { rowNo: 1, cells: ['a', 'b'] },
      { rowNo: 2, problem: 'too_many_columns' },
      { rowNo: 3, problem: 'cell_too_long' },
      { rowNo: 4, cells: ['ok', '2'] },
    ]);
  });

  it('refuses a file with a record over the size limit (the parser cannot resync)', async () => {
    const text = `a;b\n"${'z'.repeat(1_100_000)}";1\nok;2\n`;
    await expect(collect(csvBatchRows(Readable.from([text]), 'utf-8', ';'))).rejects.toMatchObject({ code: 'ROW_TOO_LARGE', details: { row: 2 } });
  });
});

describe('sniffCsv', () => {
  it('detects encoding and separator from the first bytes', async () => {
    const file = iconv.encode('Nom,Prénom,Téléphone\r\nLefèvre,Hélène,0690000001\r\n', 'windows-1252');
    expect(await sniffCsv(Readable.from([file]))).toEqual({ kind: 'csv', encoding: 'windows-1252', delimiter: ',' });
  });

  it('reads as Windows-1252 a file whose first accent comes after the sniffed bytes', async () => {
    const rows = Array.from({ length: 4_000 }, (_, i) => `Nom${i};069000${String(i).padStart(4, '0')}`);
    const file = iconv.encode(`Nom;Tel\r\n${rows.join('\r\n')}\r\nHélène;0690009999\r\n`, 'windows-1252');
    expect(file.length).toBeGreaterThan(LIMITS.sniffBytes);
    const check = new Utf8Check();
    for (const chunk of pieces(file, 1000)) check.update(chunk);
    expect(check.result()).toBe(false);
    expect(await sniffCsv(Readable.from([file]), check.result())).toMatchObject({ encoding: 'windows-1252' });
  });

  it('Utf8Check: valid UTF-8 stays valid when a character is split between chunks', () => {
    const text = Buffer.from('Hélène 😀 Œuvre € '.repeat(50));
    for (const size of [1, 2, 3, 7]) {
      const check = new Utf8Check();
      for (const chunk of pieces(text, size)) check.update(chunk);
      expect(check.result()).toBe(true);
    }
    const cut = new Utf8Check();
    cut.update(text.subarray(0, 2)); // "H" and the first byte of "é", then nothing
    expect(cut.result()).toBe(false);
  });
});

async function workbook(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('Feuille 1'));
  wb.addWorksheet('Autre').addRow(['ignorée']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('xlsx', () => {
  it('cellText: cached formula results, never the formula; rich text; hyperlinks; dates; errors', () => {
    expect(cellText({ formula: 'A1*2', result: 42 })).toBe('42');
    expect(cellText({ formula: 'NOW()' } as ExcelJS.CellValue)).toBe('');
    expect(cellText({ formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellValue)).toBe('');
    expect(cellText({ richText: [{ text: 'Hél' }, { text: 'ène' }] })).toBe('Hélène');
    expect(cellText({ text: 'site', hyperlink: 'http://x' })).toBe('site');
    expect(cellText(new Date(Date.UTC(1980, 4, 17)))).toBe('1980-05-17');
    expect(cellText(690001234)).toBe('690001234');
    expect(cellText(null)).toBe('');
  });

  it('streams the first sheet only, skipping empty rows', async () => {
    const file = await workbook((ws) => {
      ws.addRow(['Nom', 'Tel']);
      ws.addRow(['A', { formula: 'CONCAT("0690","000001")', result: '0690000001' }]);
      ws.addRow([]);
      ws.addRow(['B', '0690000002']);
    });
    await scanXlsx(Readable.from([file]));
    expect(await collect(xlsxRows(Readable.from([file])))).toEqual([
      { rowNo: 1, cells: ['Nom', 'Tel'] },
      { rowNo: 2, cells: ['A', '0690000001'] },
      { rowNo: 4, cells: ['B', '0690000002'] },
    ]);
  });

  it('reads the first visible tab, not the first sheet stored in the archive', async () => {
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet('Ancien export');
    hidden.addRow(['Nom', 'Tel']);
    hidden.addRow(['OLD', '0690000009']);
    hidden.state = 'hidden';
    const shown = wb.addWorksheet('Contacts');
    shown.addRow(['Nom', 'Tel']);
    shown.addRow(['A', '0690000001']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    await scanXlsx(Readable.from([file]));
    expect(await collect(xlsxRows(Readable.from([file])))).toEqual([
      { rowNo: 1, cells: ['Nom', 'Tel'] },
      { rowNo: 2, cells: ['A', '0690000001'] },
    ]);
  });

  it('scanXlsx refuses an archive that is not a workbook', async () => {
    await expect(scanXlsx(Readable.from([Buffer.from('PK\u0003\u0004 not really a zip')]))).rejects.toMatchObject({ code: 'INVALID_XLSX' });
  });
});
