import type { ParseNote } from './types.ts';

/**
 * Limits applied to the raw bytes before postal-mime sees them. postal-mime is built for hostile input, but some
 * shapes still cost it time or memory out of proportion to their size (one MimeNode per boundary line, one chunk
 * per padded base64 unit, encoded words re-joined per word), and a header block over its size limit makes it give
 * up on the whole message. One linear pass over the lines bounds each of those, keeps what a rule needs (each
 * field's start, every part's Content-* fields) and says what it skipped.
 */
export interface RawLimits {
  maxHeaderBytes: number;
  maxHeaderLineBytes: number;
  maxEncodedWordsPerHeader: number;
  maxBoundaryLines: number;
  maxParts: number;
  maxNestingDepth: number;
  maxBase64BytesPerPart: number;
  /** Body lines of the whole message, all parts together. */
  maxBodyLines: number;
  /** Text beyond this is never examined; a text part's body is read up to four bytes per character of it. */
  maxTextChars: number;
}

export interface BoundedMessage {
  /** The input itself when no limit was hit; otherwise a bounded copy. */
  raw: Uint8Array;
  notes: ParseNote[];
  /** Header bytes kept, counted as postal-mime counts them (every header line of every part, without EOL). */
  headerBytes: number;
}

/** Fields a rule or the MIME structure needs: kept (shortened) even after the header budget is spent. */
const ESSENTIAL =
  /^(from|sender|reply-to|return-path|subject|date|to|mime-version|content-type|content-transfer-encoding|content-disposition)$/;
/** Once the header budget is spent, an essential field is kept up to this many bytes. */
const ESSENTIAL_AFTER_BUDGET = 2048;
/**
 * Each run of `=` ends a base64 unit, and postal-mime starts a new chunk for each: a part of `A=` lines (or of
 * quoted-printable text labelled base64) costs a chunk per unit, 600 MB for 2 MB. Mailers that pad every line
 * write at most a few thousand units per megabyte.
 */
const MAX_BASE64_UNITS = 50_000;

interface Frame {
  /** `--boundary` as bytes, for a multipart part whose children are being read. */
  delimiter: Uint8Array;
}

/** A range of the input, or bytes written in its place. */
type Piece = Uint8Array | [number, number];

interface BlockField {
  name: string;
  segments: Piece[];
  bytes: number;
  words: number;
  dropped: boolean;
}

const latin1 = (b: Uint8Array, max = 4096) => {
  let s = '';
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[i]!);
  return s;
};

const CRLF = Uint8Array.of(0x0d, 0x0a);
const encoder = new TextEncoder();

function countEncodedWords(line: Uint8Array, from: number, room: number): { count: number; cut: number } {
  let count = 0;
  for (let i = from; i + 1 < line.length; i++) {
    if (line[i] === 0x3d && line[i + 1] === 0x3f) {
      if (count === room) return { count: count + 1, cut: i };
      count++;
      i++;
    }
  }
  return { count, cut: -1 };
}

function paramOf(value: string, name: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** Bounds one message's raw bytes; linear in its size, and a copy only when a limit is hit. */
export function boundMessage(input: Uint8Array, limits: RawLimits): BoundedMessage {
  const notes: ParseNote[] = [];
  const out: Piece[] = [];
  const emit = (p: Piece) => {
    const last = out[out.length - 1];
    if (Array.isArray(p) && Array.isArray(last) && last[1] === p[0]) last[1] = p[1];
    else out.push(Array.isArray(p) ? [p[0], p[1]] : p);
  };
  const text = (p: Piece) => latin1(Array.isArray(p) ? input.subarray(p[0], Math.min(p[1], p[0] + 4096)) : p);
  let changed = false;
  let headerBytes = 0;
  let longLines = 0;
  let droppedFields = 0;
  let cappedWordFields = 0;
  let cappedParts = 0;
  let cappedText = 0;
  let tooDeep = false;
  let boundaryLines = 0;
  let bodyLines = 0;
  let linesCapped = false;
  let parts = 0;

  const stack: Frame[] = [];
  // Header block state.
  let inHeader = true;
  let fields: BlockField[] = [];
  // Body state of the current leaf.
  let base64 = false;
  let textPart = false;
  let bodyBytes = 0;
  let units = 0;
  let skippingBody = false;

  const endHeaderBlock = (eol: Piece | null) => {
    const seen = new Set<string>();
    let contentType = '';
    let cte = '';
    for (const f of fields) {
      if (f.dropped) continue;
      if (f.name === 'content-type' && !seen.has(f.name)) contentType = f.segments.map(text).join('');
      if (f.name === 'content-transfer-encoding' && !seen.has(f.name)) cte = f.segments.map(text).join('');
      seen.add(f.name);
    }
    const ctValue = contentType.replace(/^[^:]*:/, '').trim();
    const type = ctValue.split(';')[0]!.trim().toLowerCase();
    const boundary = type.startsWith('multipart/') ? paramOf(ctValue, 'boundary') : null;
    let replaceType = false;
    if (boundary) {
      if (stack.length >= limits.maxNestingDepth) {
        // Deeper than the limit: the part is kept as one opaque attachment, so the parts after it still parse.
        tooDeep = true;
        replaceType = true;
      } else stack.push({ delimiter: encoder.encode('--' + boundary) });
    }
    for (const f of fields) {
      if (f.dropped) continue;
      if (replaceType && f.name === 'content-type') {
        emit(encoder.encode('Content-Type: application/octet-stream\r\n'));
        changed = true;
        continue;
      }
      for (const s of f.segments) emit(s);
    }
    if (eol) emit(eol);
    fields = [];
    inHeader = false;
    base64 = /^[^:]*:\s*base64\b/i.test(cte.trim());
    // A text body longer than the text limit costs the decoder (ISO-2022-JP: ~4 MB/s) for text never examined.
    textPart = !boundary && (type === '' || type.startsWith('text/'));
    bodyBytes = 0;
    units = 0;
    skippingBody = false;
    // An inline message/rfc822 is parsed by postal-mime as a message of its own: its header block is bounded too.
    if (type === 'message/rfc822' && !/^[^:]*:\s*(base64|quoted-printable)\b/i.test(cte.trim()))
      inHeader = true;
  };

  const headerLine = (line: Uint8Array, start: number, content: number) => {
    // `line` includes its EOL; `content` is its length without trailing CR/LF, as postal-mime counts it.
    const folded = line[0] === 0x20 || line[0] === 0x09;
    if (!folded) {
      const colon = line.subarray(0, Math.min(content, 256)).indexOf(0x3a);
      const name = colon > 0 ? latin1(line.subarray(0, colon)).trim().toLowerCase() : '';
      const again = fields.some((f) => f.name === name);
      fields.push({ name, segments: [], bytes: 0, words: 0, dropped: false });
      const f = fields[fields.length - 1]!;
      if (headerBytes >= limits.maxHeaderBytes && !(ESSENTIAL.test(name) && !again)) f.dropped = true;
    } else if (fields.length === 0) {
      fields.push({ name: '', segments: [], bytes: 0, words: 0, dropped: false });
    }
    const f = fields[fields.length - 1]!;
    if (f.dropped) {
      droppedFields += folded ? 0 : 1;
      changed = true;
      return;
    }
    let keep = content;
    const overBudget = headerBytes >= limits.maxHeaderBytes;
    const lineCap = overBudget ? Math.max(0, ESSENTIAL_AFTER_BUDGET - f.bytes) : limits.maxHeaderLineBytes;
    if (keep > lineCap) {
      keep = lineCap;
      longLines++;
    }
    const words = countEncodedWords(line.subarray(0, keep), 0, limits.maxEncodedWordsPerHeader - f.words);
    if (words.cut >= 0) {
      keep = words.cut;
      f.words = limits.maxEncodedWordsPerHeader;
      cappedWordFields++;
    } else f.words += words.count;
    if (keep === content) {
      f.segments.push([start, start + line.length]);
    } else {
      changed = true;
      if (keep === 0 && folded) return;
      f.segments.push([start, start + keep], CRLF);
    }
    f.bytes += keep;
    headerBytes += keep;
    if (words.cut >= 0 || (overBudget && f.bytes >= ESSENTIAL_AFTER_BUDGET)) {
      // The rest of this field (its continuation lines) is dropped.
      fields.push({ name: f.name, segments: [], bytes: 0, words: 0, dropped: true });
    }
  };

  const matchBoundary = (line: Uint8Array, content: number): { index: number; closing: boolean } | null => {
    if (content < 3 || line[0] !== 0x2d || line[1] !== 0x2d) return null;
    for (let i = stack.length - 1; i >= 0; i--) {
      const d = stack[i]!.delimiter;
      if (content < d.length) continue;
      let ok = true;
      for (let j = 2; j < d.length; j++)
        if (line[j] !== d[j]) {
          ok = false;
          break;
        }
      if (!ok) continue;
      let end = d.length;
      let closing = false;
      if (content >= d.length + 2 && line[end] === 0x2d && line[end + 1] === 0x2d) {
        closing = true;
        end += 2;
      }
      let trailing = true;
      for (let j = end; j < content; j++)
        if (line[j] !== 0x20 && line[j] !== 0x09) {
          trailing = false;
          break;
        }
      if (trailing) return { index: i, closing };
    }
    return null;
  };

  let pos = 0;
  let cutAt = -1;
  while (pos < input.length) {
    let nl = input.indexOf(0x0a, pos);
    if (nl < 0) nl = input.length - 1;
    const start = pos;
    const line = input.subarray(pos, nl + 1);
    pos = nl + 1;
    const range: Piece = [start, pos];
    let content = line.length;
    while (content > 0 && (line[content - 1] === 0x0a || line[content - 1] === 0x0d)) content--;

    const b = stack.length ? matchBoundary(line, content) : null;
    if (b) {
      if (inHeader) endHeaderBlock(null);
      boundaryLines++;
      if (boundaryLines > limits.maxBoundaryLines || (!b.closing && parts >= limits.maxParts)) {
        notes.push(
          boundaryLines > limits.maxBoundaryLines
            ? { code: 'boundaries-capped', limit: limits.maxBoundaryLines }
            : { code: 'too-many-parts', limit: limits.maxParts },
        );
        cutAt = start;
        break;
      }
      stack.length = b.closing ? b.index : b.index + 1;
      emit(range);
      if (!b.closing) {
        parts++;
        inHeader = true;
      } else {
        base64 = false;
        textPart = false;
        skippingBody = false;
      }
      continue;
    }
    if (inHeader) {
      if (content === 0) endHeaderBlock(range);
      else headerLine(line, start, content);
      continue;
    }
    if ((textPart || base64) && !skippingBody) {
      bodyBytes += content;
      if (base64)
        for (let j = line.indexOf(0x3d); j >= 0 && j < content; j = line.indexOf(0x3d, j)) {
          units++;
          while (j < content && line[j] === 0x3d) j++;
        }
      if (textPart && bodyBytes > limits.maxTextChars * 4) {
        skippingBody = true;
        cappedText++;
      } else if (base64 && (bodyBytes > limits.maxBase64BytesPerPart || units > MAX_BASE64_UNITS)) {
        skippingBody = true;
        cappedParts++;
      }
    }
    // After the part's own caps (text size, base64 units), which say more precisely what was skipped.
    if (!skippingBody && ++bodyLines > limits.maxBodyLines) {
      skippingBody = true;
      linesCapped = true;
    }
    if (skippingBody) {
      changed = true;
      continue;
    }
    emit(range);
  }
  // A message that ends inside a header block (no body) still has its fields.
  if (inHeader && fields.length) endHeaderBlock(null);
  if (cutAt >= 0) changed = true;

  if (longLines)
    notes.push({ code: 'header-line-capped', limitBytes: limits.maxHeaderLineBytes, lines: longLines });
  if (droppedFields)
    notes.push({ code: 'headers-capped', limitBytes: limits.maxHeaderBytes, dropped: droppedFields });
  if (cappedWordFields)
    notes.push({
      code: 'encoded-words-capped',
      limit: limits.maxEncodedWordsPerHeader,
      fields: cappedWordFields,
    });
  if (tooDeep) notes.push({ code: 'too-deep', limit: limits.maxNestingDepth });
  if (linesCapped) notes.push({ code: 'body-lines-capped', limit: limits.maxBodyLines });
  if (cappedText)
    notes.push({ code: 'part-body-capped', limitBytes: limits.maxTextChars * 4, parts: cappedText });
  if (cappedParts)
    notes.push({ code: 'part-body-capped', limitBytes: limits.maxBase64BytesPerPart, parts: cappedParts });

  if (!changed) return { raw: input, notes, headerBytes };
  let size = 0;
  for (const p of out) size += Array.isArray(p) ? p[1] - p[0] : p.length;
  const raw = new Uint8Array(size);
  let off = 0;
  for (const p of out) {
    const bytes = Array.isArray(p) ? input.subarray(p[0], p[1]) : p;
    raw.set(bytes, off);
    off += bytes.length;
  }
  return { raw, notes, headerBytes };
}
