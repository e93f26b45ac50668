import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mamori } from '../helpers/cli.ts';

describe('bad arguments are said in the person’s language, exit 2, no stack trace', () => {
  const env = { MAMORI_HOME: mkdtempSync(join(tmpdir(), 'mamori-usage-')), MAMORI_TODAY: '2026-11-21' };
  it('each bad value gets its sentence', () => {
    expect(mamori(['case', 'new', '--situation', 'unknown-charge'], { env }).status).toBe(0);
    const cases: [string[], string][] = [
      [['plan', '--situation', 'hacked'], '分からない状況です（hacked）'],
      [['plan', '--situation', 'entered-card', '--noticed', '2026-02-30'], '存在しない日付です'],
      [['plan', '--situation', 'entered-card', '--noticed', '20/11/2026'], '2026/11/20、11/20 のように'],
      [['case', 'checkup', 'C-20261121-1', '--stored-cards', 'abc'], '--stored-cards には 0 以上の数'],
      [
        ['case', 'checkup', 'C-20261121-1', '--two-step', 'maybe', '--lang', 'en'],
        '--two-step must be on or off',
      ],
      [['case', 'event', 'C-20261121-1', 'party'], '記録できる出来事は次のとおりです'],
      [['case', 'show', 'C-9'], 'ケース C-9 はありません'],
      [['report', '--case', 'C-20261121-1', '--format', 'docx'], '--format には pdf・html・md・csv'],
      [['import', 'x.csv', '--currency', 'EUR'], '--currency には JPY か USD'],
    ];
    for (const [args, words] of cases) {
      const r = mamori(args, { env });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(words);
      expect(r.stderr).not.toMatch(/\n\s+at |Error/);
    }
    const bad = mamori(['plan', '--situation', 'entered-card'], {
      env: { ...env, MAMORI_TODAY: 'tomorrow' },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('MAMORI_TODAY');
  });
});
