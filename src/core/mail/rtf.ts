/**
 * The text and link targets of an RTF document (a `.rtf` or `.doc` saved as RTF), read so a lure that sits only in
 * an attached document ("We have blocked your Amazon account… Unlock My Account") is judged like one in the body.
 *
 * No well-kept JavaScript RTF reader exists (the npm ones are experimental or convert to HTML), and the part of RTF
 * a reader of text needs is small: groups, control words, escaped bytes in the document's code page, `\uN` with
 * its fallback, and destinations that hold no text (fonts, styles, pictures, embedded objects), which are skipped.
 * A field's instruction (`HYPERLINK "…"`) is where a link's target is written; it is kept as a link, never opened.
 *
 * Hostile input: one pass, no recursion (an explicit depth counter, capped), `\binN` skipped by its length, and the
 * output capped at `maxChars`; the bytes were already capped when the mail was parsed.
 */

import { decodeAs } from '#core/bytes.ts';

export interface RtfReading {
  text: string;
  /** Targets of HYPERLINK fields, as written (never fetched). */
  links: string[];
  /** The text limit was reached: the rest of the document was not read. */
  capped: boolean;
}

/** `{\rtf` at the start (after a BOM or whitespace): what Word, WordPad and TextEdit write. */
export function isRtf(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && i < 8 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return (
    bytes[i] === 0x7b &&
    bytes[i + 1] === 0x5c &&
    bytes[i + 2] === 0x72 &&
    bytes[i + 3] === 0x74 &&
    bytes[i + 4] === 0x66
  );
}

/** Destinations whose content is not the document's text. */
const SKIPPED = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'objdata',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'mmathPr',
  'filetbl',
  'revtbl',
  'pgdsctbl',
  'bkmkstart',
  'bkmkend',
  'shppict',
  'nonshppict',
  'header',
  'footer',
]);
// Headers and footers are skipped with the rest: a lure is written in the page, and letterheads repeat per page.

const MAX_DEPTH = 512;

/** The charset label of a Windows code page RTF names with `\ansicpgN` (decoded by `decodeAs`, which reads
 * windows-1252 the same in every runtime). */
function charsetOf(codePage: number): string {
  switch (codePage) {
    case 932:
      return 'shift_jis';
    case 936:
      return 'gbk';
    case 949:
      return 'euc-kr';
    case 950:
      return 'big5';
    case 65001:
      return 'utf-8';
    default:
      return codePage >= 874 && codePage <= 1258 && codePage !== 1252
        ? `windows-${codePage}`
        : 'windows-1252';
  }
}

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

export function readRtf(bytes: Uint8Array, maxChars: number): RtfReading {
  const out: string[] = [];
  let chars = 0;
  let capped = false;
  const links: string[] = [];
  let charset = 'windows-1252';
  // Escaped bytes (\'hh) are gathered and decoded together: a Shift_JIS character is two of them.
  let pending: number[] = [];
  // Per group: skipped (a destination without text), collecting a field instruction, the \uc fallback count.
  const skip: boolean[] = [false];
  const instr: boolean[] = [false];
  const uc: number[] = [1];
  let instruction = '';
  let depth = 0;
  let starred = false;
  let fallback = 0;

  const flush = () => {
    if (!pending.length) return;
    emit(decodeAs(Uint8Array.from(pending), charset));
    pending = [];
  };
  const emit = (s: string) => {
    if (capped || !s) return;
    if (instr[depth]) {
      if (instruction.length < 4096) instruction += s;
      return;
    }
    if (skip[depth]) return;
    if (chars + s.length > maxChars) {
      s = s.slice(0, maxChars - chars);
      capped = true;
    }
    chars += s.length;
    out.push(s);
  };
  const endInstruction = () => {
    const m =
      /HYPERLINK\s+(?:\\[a-z]\s+)*"([^"]+)"/i.exec(instruction) ?? /HYPERLINK\s+(\S+)/i.exec(instruction);
    if (m && links.length < 100) links.push(m[1]!.replace(/\\\\/g, '\\'));
    instruction = '';
  };

  let i = 0;
  const n = bytes.length;
  while (i < n && !capped) {
    const c = bytes[i]!;
    if (c === 0x7b) {
      // {
      flush();
      i++;
      if (depth + 1 >= MAX_DEPTH) {
        // Too deep to be a document: what is inside is not read (the group's end is still counted).
        let level = 1;
        while (i < n && level > 0) {
          if (bytes[i] === 0x5c) i++;
          else if (bytes[i] === 0x7b) level++;
          else if (bytes[i] === 0x7d) level--;
          i++;
        }
        continue;
      }
      depth++;
      skip[depth] = skip[depth - 1]!;
      instr[depth] = instr[depth - 1]!;
      uc[depth] = uc[depth - 1]!;
      starred = false;
      continue;
    }
    if (c === 0x7d) {
      // }
      flush();
      if (instr[depth] && !instr[depth - 1]) endInstruction();
      if (depth > 0) depth--;
      fallback = 0;
      i++;
      continue;
    }
    if (c === 0x5c) {
      // a control word, symbol or escaped byte
      const d = bytes[i + 1];
      if (d === undefined) break;
      if (d === 0x27) {
        // \'hh
        const hex = String.fromCharCode(bytes[i + 2] ?? 0, bytes[i + 3] ?? 0);
        i += 4;
        if (fallback > 0) {
          fallback--;
          continue;
        }
        const v = parseInt(hex, 16);
        if (!Number.isNaN(v)) pending.push(v);
        continue;
      }
      if (!isLetter(d)) {
        flush();
        i += 2;
        if (d === 0x2a) starred = true;
        else if (d === 0x7e) emit('\u00a0');
        else if (d === 0x5c || d === 0x7b || d === 0x7d) emit(String.fromCharCode(d));
        else if (d === 0x0a || d === 0x0d) emit('\n');
        continue;
      }
      let j = i + 1;
      while (j < n && j - i < 34 && isLetter(bytes[j]!)) j++;
      const word = String.fromCharCode(...bytes.subarray(i + 1, j));
      let param: number | null = null;
      const numStart = j;
      if (bytes[j] === 0x2d) j++;
      while (j < n && j - numStart < 11 && isDigit(bytes[j]!)) j++;
      if (j > numStart && !(j === numStart + 1 && bytes[numStart] === 0x2d)) {
        param = Number(String.fromCharCode(...bytes.subarray(numStart, j)));
      } else j = numStart;
      if (bytes[j] === 0x20) j++;
      i = j;
      if (word !== 'u') flush();
      switch (word) {
        case 'ansicpg':
          if (param !== null && depth <= 1) charset = charsetOf(param);
          break;
        case 'uc':
          if (param !== null) uc[depth] = Math.max(0, Math.min(param, 8));
          break;
        case 'u':
          if (param !== null) {
            flush();
            emit(String.fromCharCode(param < 0 ? param + 65536 : param));
            fallback = uc[depth]!;
          }
          break;
        case 'bin':
          // Binary data of the stated length: skipped whole.
          if (param !== null && param > 0) i += param;
          break;
        case 'par':
        case 'line':
        case 'sect':
        case 'page':
        case 'row':
          emit('\n');
          break;
        case 'tab':
        case 'cell':
          emit('\t');
          break;
        case 'fldinst':
          instr[depth] = true;
          instruction = '';
          break;
        default:
          if (SKIPPED.has(word) || (starred && word !== 'fldinst')) skip[depth] = true;
      }
      starred = false;
      continue;
    }
    if (c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (fallback > 0) {
      fallback--;
      i++;
      continue;
    }
    if (c >= 0x80) pending.push(c);
    else {
      flush();
      emit(String.fromCharCode(c));
    }
    i++;
  }
  flush();
  const text = out
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
  return { text, links, capped };
}
