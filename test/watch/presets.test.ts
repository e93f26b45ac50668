import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { IMAP_PRESETS } from '#adapters/imap/presets.ts';

const knowledge = loadKnowledge();

describe('IMAP presets', () => {
  it('say, where the reference knows, what must be switched on first, in both languages and marked unconfirmed', () => {
    const on = IMAP_PRESETS.filter((p) => p.switchOn).map((p) => p.id);
    // card-notices.md Section B names a switch for these.
    expect(on).toEqual(expect.arrayContaining(['gmail', 'icloud', 'yahoo-japan', 'docomo', 'proton-bridge']));
    for (const lang of ['ja', 'en'] as const) {
      const text = knowledge.messages.get(lang)!.text;
      for (const id of on) {
        const sentence = text[`watch.preset-switch-on.${id}`];
        expect(sentence, `${lang} ${id}`).toBeTruthy();
        expect(sentence).toMatch(lang === 'ja' ? /未確認/ : /unconfirmed/);
      }
    }
  });
  it('say which password each needs', () => {
    for (const lang of ['ja', 'en'] as const)
      for (const p of IMAP_PRESETS)
        expect(knowledge.messages.get(lang)!.text[`watch.preset-auth.${p.auth}`], p.id).toBeTruthy();
  });
});
