import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';
import { mailWithAttachment } from '../helpers/mail.ts';

const knowledge = loadKnowledge();

async function findings(filenameParam: string) {
  const o = await checkMessage(
    mailWithAttachment({
      from: '"Ken" <ken@mail.example>',
      subject: 'photos',
      body: 'see attached',
      type: 'application/octet-stream',
      filenameParam,
      content: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0]),
    }),
    knowledge,
  );
  if (!o.ok) throw new Error(o.problem.code);
  return (o.result as CheckResult).findings;
}
const ids = async (filenameParam: string) => (await findings(filenameParam)).map((f) => f.id);

describe('attachment names read as the computer that opens them reads them', () => {
  it('a program is a program behind invisible characters, a direction override or trailing dots', async () => {
    for (const name of [
      "filename*=utf-8''invoice.ex%E2%80%8Be",
      "filename*=utf-8''invoice.exe%E2%80%8B",
      'filename="invoice.exe."',
      'filename="invoice.exe .  "',
      "filename*=utf-8''photo%E2%80%AEgpj.exe",
    ])
      expect(await ids(name), name).toContain('attach.executable');
  });

  it('hidden characters in a name are their own finding; ordinary names, accents included, are not', async () => {
    expect(await ids("filename*=utf-8''photo%E2%80%AEgpj.exe")).toContain('attach.hidden-name');
    expect(await ids("filename*=utf-8''invoice.ex%E2%80%8Be")).toContain('attach.hidden-name');
    for (const name of [
      'filename="photo.jpg.zip"',
      "filename*=utf-8''cafe%CC%81.txt",
      'filename="請求書.txt"',
    ])
      expect(await ids(name), name).not.toContain('attach.hidden-name');
    expect(await ids('filename="notes.txt"')).not.toContain('attach.executable');
  });

  it('every finding shows a name with its hidden characters named, so no sentence is turned around', async () => {
    const all = await findings("filename*=utf-8''photo%E2%80%AEgpj.exe");
    const exe = all.find((f) => f.id === 'attach.executable');
    expect(exe?.params?.name).toBe('photo<U+202E>gpj.exe');
    for (const f of all) expect(JSON.stringify(f), f.id).not.toMatch(/\u202e/i);
  });
});
