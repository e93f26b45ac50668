/**
 * CSV as card statements and Amazon's exports write it, read from text (whole or in pieces). It reads exactly as
 * csv-parse 6 did with the options mamori used (`relax_quotes`, `relax_column_count`, `bom`, the record delimiter
 * found from the first line break, `skip_empty_lines` and `max_record_size` as asked): the same records, the same
 * two errors with the same messages. `test/ledger/csv.test.ts` holds it to csv-parse on generated CSV.
 *
 * Why not csv-parse itself: it turns text back into bytes and each field back into a string, and builds an info
 * object per record for the ragged-row cap; reading 50,000 card rows and 24,000 order rows that way was a fifth of
 * `mamori reconcile`'s time. Here a field is a slice of the text.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const NL = 0x0a;

export interface CsvOptions {
  /** Lines with nothing on them give no record (csv-parse `skip_empty_lines`). */
  skipEmptyLines: boolean;
  /** The most bytes (UTF-8) one record may hold, 0 for no limit (csv-parse `max_record_size`). */
  maxRecordSize?: number;
}

/** A CSV that cannot be read: a quote never closed, or a record over the size limit. */
export class CsvError extends Error {
  constructor(
    readonly code: 'CSV_QUOTE_NOT_CLOSED' | 'CSV_MAX_RECORD_SIZE',
    message: string,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** UTF-8 bytes of one UTF-16 unit (a surrogate pair is four). */
const utf8Bytes = (c: number) => (c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3);

/** Which line break ends records: not found yet, `\r\n`, `\n` or `\r` (the first one seen, then only that one). */
type Delimiter = 0 | 1 | 2 | 3;

/**
 * Reads CSV text given in pieces (`push`), in order; each record goes to `onRecord` as soon as it is complete.
 * Throws CsvError. Two characters of each piece wait for the next one, so a piece may end anywhere.
 */
export class CsvReader {
  /** Records so far whose number of cells differs from the first record's (csv-parse `info.invalid_field_length`). */
  invalidFieldLength = 0;
  /** Records so far. */
  records = 0;
  private readonly skipEmpty: boolean;
  private readonly max: number;
  private lines = 1;
  private delimiter: Delimiter = 0;
  private started = false;
  private quoting = false;
  private wasQuoting = false;
  private escaping = false;
  private wasRowDelimiter = false;
  private field = '';
  private fieldBytes = 0;
  private record: string[] = [];
  /** Characters of the record's finished fields (csv-parse counts these in characters, the open field in bytes). */
  private recordChars = 0;
  private expected = 0;
  private rest = '';

  constructor(opts: CsvOptions) {
    this.skipEmpty = opts.skipEmptyLines;
    this.max = opts.maxRecordSize ?? 0;
  }

  /** The length of the record delimiter at `i` (0: none), finding it first when it is not known yet. */
  private discover(text: string, i: number): number {
    const c = text.charCodeAt(i);
    if (c === CR && text.charCodeAt(i + 1) === NL) this.delimiter = 1;
    else if (c === NL) this.delimiter = 2;
    else if (c === CR) this.delimiter = 3;
    else return 0;
    return this.delimiter === 1 ? 2 : 1;
  }

  private delimiterAt(text: string, i: number): number {
    const c = text.charCodeAt(i);
    switch (this.delimiter) {
      case 1:
        return c === CR && text.charCodeAt(i + 1) === NL ? 2 : 0;
      case 2:
        return c === NL ? 1 : 0;
      case 3:
        return c === CR ? 1 : 0;
      default:
        return 0;
    }
  }

  private endField(): void {
    this.record.push(this.field);
    this.recordChars += this.field.length;
    this.field = '';
    this.fieldBytes = 0;
    this.wasQuoting = false;
  }

  private endRecord(onRecord: (record: string[]) => void): void {
    const n = this.record.length;
    if (this.records === 0) this.expected = n;
    if (n !== this.expected) this.invalidFieldLength++;
    this.records++;
    const record = this.record;
    this.record = [];
    this.recordChars = 0;
    onRecord(record);
  }

  /** Reads the next piece of text; `end` on the last one (which may be empty). */
  push(piece: string, end: boolean, onRecord: (record: string[]) => void): void {
    let text = this.rest + piece;
    this.rest = '';
    if (!this.started) {
      if (text.length === 0 && !end) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const len = text.length;
    // A quote needs the two characters after it (a delimiter, or \r\n) to be told apart: they wait for the next piece.
    const limit = end ? len : len - 2;
    let run = 0; // the characters from `run` to `pos` are the open field's, not yet added to `field`
    let pos = 0;
    for (; pos < limit; pos++) {
      if (this.wasRowDelimiter) {
        this.lines++;
        this.wasRowDelimiter = false;
      }
      if (!this.quoting && this.delimiter === 0) this.discover(text, pos);
      const c = text.charCodeAt(pos);
      if (c === CR || c === NL) this.wasRowDelimiter = true;
      if (this.escaping) {
        this.escaping = false;
      } else {
        if (this.quoting && c === QUOTE && pos + 1 < len && text.charCodeAt(pos + 1) === QUOTE) {
          // "" inside quotes: the second quote is kept, the first is not.
          this.field += text.slice(run, pos);
          run = pos + 1;
          this.escaping = true;
          continue;
        }
        if (c === QUOTE) {
          if (this.quoting) {
            const next = pos + 1 < len ? text.charCodeAt(pos + 1) : 0;
            const nextIsDelimiter =
              this.delimiter === 0 ? this.discover(text, pos + 1) : this.delimiterAt(text, pos + 1);
            this.field += text.slice(run, pos);
            this.quoting = false;
            this.wasQuoting = true;
            if (next === 0 || next === COMMA || nextIsDelimiter !== 0) {
              run = pos + 1;
              continue;
            }
            // A closing quote followed by more text: both quotes are kept as text (relax_quotes).
            this.field = '"' + this.field;
            this.fieldBytes += 1;
            run = pos;
          } else if (this.field.length === 0 && pos === run) {
            this.quoting = true;
            run = pos + 1;
            continue;
          }
          // A quote inside an unquoted field is text.
        }
        if (!this.quoting) {
          const rd = this.delimiterAt(text, pos);
          if (rd !== 0) {
            this.field += text.slice(run, pos);
            const empty = this.record.length === 0 && this.field.length === 0 && !this.wasQuoting;
            if (!(this.skipEmpty && empty)) {
              this.endField();
              this.endRecord(onRecord);
            }
            pos += rd - 1;
            run = pos + 1;
            continue;
          }
          if (c === COMMA) {
            this.field += text.slice(run, pos);
            this.endField();
            run = pos + 1;
            continue;
          }
        }
      }
      const bytes = utf8Bytes(c);
      // csv-parse checks before each byte it keeps: the last byte of this character is the one that counts.
      if (this.max !== 0 && this.recordChars + this.fieldBytes + bytes - 1 > this.max)
        throw new CsvError(
          'CSV_MAX_RECORD_SIZE',
          `Max Record Size: record exceed the maximum number of tolerated bytes of ${this.max} at line ${this.lines}`,
        );
      this.fieldBytes += bytes;
    }
    if (end) {
      this.field += text.slice(run, len);
      if (this.quoting)
        throw new CsvError(
          'CSV_QUOTE_NOT_CLOSED',
          `Quote Not Closed: the parsing is finished with an opening quote at line ${this.lines}`,
        );
      if (this.wasQuoting || this.record.length !== 0 || this.field.length !== 0) {
        this.endField();
        this.endRecord(onRecord);
      }
    } else {
      this.field += text.slice(run, pos);
      this.rest = text.slice(pos);
    }
    if (this.wasRowDelimiter) {
      this.lines++;
      this.wasRowDelimiter = false;
    }
  }
}

/** A whole CSV text as records. Throws CsvError. */
export function parseCsvText(text: string, opts: CsvOptions): string[][] {
  const rows: string[][] = [];
  new CsvReader(opts).push(text, true, (r) => rows.push(r));
  return rows;
}
