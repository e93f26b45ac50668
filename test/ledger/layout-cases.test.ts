import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeSpec } from '#adapters/knowledge/source.ts';
import type { StatementLayout, StatementLayoutSpec } from '#core/knowledge/schema.ts';
import { detectLayout, parseStatement, readCsvRows } from '#core/ledger/statements.ts';
import { knowledge } from '../helpers/ledger.ts';

type LayoutCase = NonNullable<StatementLayoutSpec['cases']>[number];

function caseBytes(c: LayoutCase): Uint8Array {
  const text = c.csv.replace(/\r?\n/g, '\r\n');
  if (c.encoding === 'shift_jis')
    return Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));
  if (c.encoding === 'utf-16le') {
    const out = new Uint8Array(2 + text.length * 2);
    out.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      out[2 + i * 2] = text.charCodeAt(i) & 0xff;
      out[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    return out;
  }
  return new TextEncoder().encode(text);
}

function rowsOf(c: LayoutCase): string[][] {
  const r = readCsvRows(caseBytes(c));
  if ('error' in r) throw new Error(`case is not a CSV: ${r.error}`);
  return r.rows;
}

/** Does this layout, alone, fit the file? */
const fits = (rows: string[][], layout: StatementLayout) => detectLayout(rows, [layout]).ok;

// The cases live in data/ (the built knowledge the programs load has none); detection runs on the built layouts.
const specs = loadKnowledgeSpec().statements;
const layouts = knowledge.statements;
const hits = specs.flatMap((l) =>
  (l.cases ?? []).filter((c) => c.expect === 'hit').map((c, i) => ({ owner: l.id, i, c })),
);

describe('every statement layout has files it must detect and files it must not', () => {
  for (const spec of specs) {
    const layout = layouts.find((l) => l.id === spec.id)!;
    const cases = spec.cases ?? [];
    it(`${layout.id} has both kinds of case`, () => {
      expect(
        cases.some((c) => c.expect === 'hit'),
        `${layout.id} needs a case it must detect`,
      ).toBe(true);
      expect(
        cases.some((c) => c.expect === 'miss'),
        `${layout.id} needs a case it must not detect`,
      ).toBe(true);
    });
    cases.forEach((c, i) => {
      it(`${layout.id} case ${i + 1} (${c.expect}${c.note ? ': ' + c.note : ''})`, () => {
        if (c.expect === 'hit') {
          // Among all the layouts, this one wins, and it reads charges from the file.
          const r = parseStatement(caseBytes(c), `${layout.id}.csv`, layouts);
          expect(r.problems.filter((p) => p.code !== 'bad-row')).toEqual([]);
          expect(r.layout).toBe(layout.id);
          expect(r.charges.length).toBeGreaterThan(0);
        } else expect(fits(rowsOf(c), layout)).toBe(false);
      });
    });
    it(`${layout.id} detects none of the other layouts' files`, () => {
      const taken = hits
        .filter((h) => h.owner !== layout.id && fits(rowsOf(h.c), layout))
        .map((h) => `${h.owner} case ${h.i + 1}`);
      expect(taken).toEqual([]);
    });
  }
});
