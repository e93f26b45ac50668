import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvReader, parseCsvText, type CsvOptions } from '#core/ledger/csv.ts';

/** What csv-parse 6 gives with the options mamori used before (the reference the reader must match). */
function reference(text: string, o: CsvOptions): { rows: string[][]; ragged: number } | { error: string } {
  let ragged = 0;
  try {
    const rows = parse(text, {
      relax_column_count: true,
      relax_quotes: true,
      bom: true,
      trim: false,
      skip_empty_lines: o.skipEmptyLines,
      ...(o.maxRecordSize ? { max_record_size: o.maxRecordSize } : {}),
      on_record: (r: string[], info: { invalid_field_length: number }) => {
        ragged = info.invalid_field_length;
        return r;
      },
    }) as string[][];
    return { rows, ragged };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The reader, given the text in pieces cut at `cuts`. */
function read(
  text: string,
  o: CsvOptions,
  cuts: number[] = [],
): { rows: string[][]; ragged: number } | { error: string } {
  const reader = new CsvReader(o);
  const rows: string[][] = [];
  try {
    let at = 0;
    for (const c of [...new Set(cuts.map((x) => Math.min(x, text.length)))].sort((a, b) => a - b)) {
      reader.push(text.slice(at, c), false, (r) => rows.push(r));
      at = c;
    }
    reader.push(text.slice(at), true, (r) => rows.push(r));
    return { rows, ragged: rows.length ? reader.invalidFieldLength : 0 };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// Few characters, so quotes, delimiters and line breaks meet in every way; pairs are whole code points.
const piece = fc.constantFrom(
  '"',
  '"',
  ',',
  ',',
  '\r',
  '\n',
  '\r\n',
  'a',
  'b',
  ' ',
  'あ',
  '😀',
  '\uFEFF',
  '\u0000',
  '""',
);
const csvText = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
const options = fc.record({
  skipEmptyLines: fc.boolean(),
  maxRecordSize: fc.constantFrom(0, 0, 3, 8, 20),
});

describe('CSV reader: the records csv-parse gave', () => {
  it('on generated text, whole', () => {
    fc.assert(
      fc.property(csvText, options, (text, o) => {
        expect(read(text, o)).toEqual(reference(text, o));
      }),
      { numRuns: 20000 },
    );
  });

  it('on generated text given in pieces (any cut)', () => {
    fc.assert(
      fc.property(csvText, options, fc.array(fc.nat({ max: 60 }), { maxLength: 8 }), (text, o, cuts) => {
        expect(read(text, o, cuts)).toEqual(reference(text, o));
      }),
      { numRuns: 20000 },
    );
  });

  it('on the shapes statements have: quoted cells, "" inside, CRLF, a BOM, ragged preambles', () => {
    const o = { skipEmptyLines: false };
    for (const text of [
      '\uFEFF利用日,利用店名・商品名,利用金額\r\n2024/01/02,"AMAZON.CO.JP","1,200"\r\n',
      'カード名称,楽天カード\n\n利用日,内容,金額\n2024/1/2,"say ""hi""",500\n合計,,500',
      '"unclosed,1\n2,3\n',
      'a,"b"c,d\n"x"\ry\r',
      '',
      '\n',
    ])
      expect(read(text, o)).toEqual(reference(text, o));
    expect(parseCsvText('a,b\r\nc,d\r\n', o)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('a quote never closed is an error with csv-parse’s message', () => {
    expect(() => parseCsvText('a,"b\nc', { skipEmptyLines: true })).toThrow(
      'Quote Not Closed: the parsing is finished with an opening quote at line 2',
    );
  });
});
