import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { loadKnowledgeSpec } from '#adapters/knowledge/source.ts';
import { checkMessage } from '#core/check/index.ts';

const knowledge = loadKnowledge();
const spec = loadKnowledgeSpec();

/** The rules that judge links by a list (`link-in-list`, `link-path-words`), by the list they name. */
const rulesByList = new Map<string, string[]>();
for (const r of spec.rules) {
  const list = (r.params as { list?: unknown }).list;
  if ((r.detector === 'link-in-list' || r.detector === 'link-path-words') && typeof list === 'string')
    rulesByList.set(list, [...(rulesByList.get(list) ?? []), r.id]);
}

describe('every list links are judged by has sources and cases that must hit and must not', () => {
  for (const [listId, ruleIds] of rulesByList) {
    const list = spec.lists.find((l) => l.id === listId)!;
    it(`${listId} has sources and both kinds of case`, () => {
      expect(list, `list ${listId}`).toBeDefined();
      expect(list.sources.length, `${listId} needs sources`).toBeGreaterThan(0);
      expect(list.cases.some((c) => c.expect === 'hit')).toBe(true);
      expect(list.cases.some((c) => c.expect === 'miss')).toBe(true);
    });
    list.cases.forEach((c, i) => {
      it(`${listId} case ${i + 1} (${c.expect}: ${c.url})`, async () => {
        // Each URL pasted on its own, as a person would paste a link and ask whether it is safe.
        const outcome = await checkMessage(new TextEncoder().encode(c.url + '\n'), knowledge);
        if (!outcome.ok) throw new Error(outcome.problem.code);
        const hit = outcome.result.findings.filter((f) => ruleIds.includes(f.id)).map((f) => f.id);
        if (c.expect === 'hit') expect(hit, ruleIds.join(', ')).not.toHaveLength(0);
        else expect(hit).toHaveLength(0);
      });
    });
  }
});
