import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';
import { isRtf, readRtf } from '#core/mail/rtf.ts';
import { mailWithAttachment } from '../helpers/mail.ts';

const knowledge = loadKnowledge();
const bytes = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

// An RTF as Word writes it: font and colour tables, a stylesheet, a picture, an embedded object and a field.
const WORD_RTF = String.raw`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}{\f1\fswiss Arial;}}
{\colortbl;\red0\green0\blue255;}{\stylesheet{\s0 Normal;}}{\*\generator Riched20 10.0;}
{\info{\title Secret title}{\author Someone}}
\pard\f1\fs24 Dear Customer,\par
We have blocked your Amazon account\'92s access.\par
{\pict\pngblip 89504e470d0a1a0a0000000d4948445200000001}
{\object\objemb{\*\objdata 0105000002000000}}
{\field{\*\fldinst{HYPERLINK "https://storage.googleapis.com/x/unlock.html"}}{\fldrslt{\ul Unlock My Account}}}\par
Caf\u233?s and na\u239\'efve\tab end.}`;

describe('readRtf: the text and links of an RTF document', () => {
  it('reads the text Word writes, without its tables, pictures, objects or metadata', () => {
    const r = readRtf(latin1(WORD_RTF), 10_000);
    expect(r.text).toContain('Dear Customer,');
    expect(r.text).toContain('We have blocked your Amazon account\u2019s access.');
    expect(r.text).toContain('Unlock My Account');
    expect(r.text).toContain('Cafés and naïve');
    for (const hidden of ['Times New Roman', 'Normal;', 'Riched20', 'Secret title', '89504e47', '0105000002'])
      expect(r.text).not.toContain(hidden);
    expect(r.links).toEqual(['https://storage.googleapis.com/x/unlock.html']);
    expect(r.capped).toBe(false);
  });

  it('decodes escaped bytes in the document code page (Shift_JIS for \\ansicpg932)', () => {
    // 「アカウント」 in Shift_JIS: 83 41 83 4a 83 45 83 93 83 67
    const r = readRtf(
      latin1(String.raw`{\rtf1\ansi\ansicpg932 \'83\'41\'83\'4a\'83\'45\'83\'93\'83\'67\par}`),
      100,
    );
    expect(r.text).toBe('アカウント');
  });

  it('skips binary data by its stated length and caps the text', () => {
    const bin = String.raw`{\rtf1 before {\bin5 }{}}x} after}`;
    expect(readRtf(latin1(bin), 100).text).toBe('before after');
    const long = readRtf(bytes(`{\\rtf1 ${'word '.repeat(10_000)}}`), 1000);
    expect(long.capped).toBe(true);
    expect(long.text.length).toBeLessThanOrEqual(1000);
  });

  it('survives hostile nesting without recursion and still reads the text after it', () => {
    const deep = `{\\rtf1 start ${'{'.repeat(100_000)}x${'}'.repeat(100_000)} end}`;
    const r = readRtf(bytes(deep), 1000);
    expect(r.text.startsWith('start')).toBe(true);
    expect(r.text.endsWith('end')).toBe(true);
    // Unbalanced and truncated documents end where the bytes do.
    expect(readRtf(bytes('{\\rtf1 {\\b unfinished'), 100).text).toBe('unfinished');
    expect(readRtf(bytes('{\\rtf1 \\'), 100).text).toBe('');
  });

  it('recognises RTF by its first bytes, not its name', () => {
    expect(isRtf(bytes('{\\rtf1\\ansi x}'))).toBe(true);
    expect(isRtf(bytes('\ufeff{\\rtf1 x}'))).toBe(true);
    expect(isRtf(bytes('%PDF-1.7'))).toBe(false);
    expect(isRtf(bytes('{"rtf": 1}'))).toBe(false);
    expect(isRtf(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]))).toBe(false); // a binary .doc
  });
});

const mailWith = (
  body: string,
  rtf: string,
  name: string,
  from = '"Support Service" <notice@mail.example>',
) =>
  mailWithAttachment({
    from,
    subject: 'Notice: confirm your inquiry',
    body,
    type: `application/rtf; name="${name}"`,
    filenameParam: `filename="${name}"`,
    content: latin1(rtf),
  });

async function check(raw: Uint8Array): Promise<CheckResult> {
  const out = await checkMessage(raw, knowledge);
  if (!out.ok) throw new Error(out.problem.code);
  return out.result;
}

const ids = (r: CheckResult) => r.findings.map((f) => f.id);

describe('a lure that sits only in an attached RTF document', () => {
  it('is judged like the body: the brand it names, its links, its pressure', async () => {
    const r = await check(mailWith('normal', WORD_RTF + '', 'reviewdocument.RTF'));
    const lure = String.raw`{\rtf1\ansi amazon\par Dear Customer,\par We have blocked your Amazon account. Verify your Amazon account within 48 hours or it will be permanently locked.\par {\field{\*\fldinst HYPERLINK "https://storage.googleapis.com/x/payrect.html"}{\fldrslt Unlock My Account}}\par Thanks for your visit to Amazon.}`;
    const p = await check(mailWith('normal', lure, 'reviewdocument.rtf'));
    expect(p.verdict).toBe('phishing');
    expect(p.brand).toMatch(/^amazon/);
    const hosting = p.findings.find((f) => f.id === 'link.free-hosting');
    expect(hosting?.evidence).toMatch(/^rtf: /);
    expect(ids(p)).toContain('attach.document-lure');
    // The first mail's document names Amazon too and links to free hosting: flagged as well.
    expect(r.verdict).toBe('phishing');
  });

  it('an ordinary RTF (minutes of a meeting) in a mail that claims no brand is not an alarm', async () => {
    const minutes = String.raw`{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Minutes of the garden club meeting\par We agreed to plant tulips in March. Next meeting: 4 April.\par}`;
    const r = await check(
      mailWith(
        'Hi all, the minutes are attached. Best, Ken',
        minutes,
        'minutes.rtf',
        '"Ken Sato" <ken@garden-club.example>',
      ),
    );
    expect(r.verdict).not.toBe('phishing');
    expect(r.verdict).not.toBe('suspicious');
  });
});
