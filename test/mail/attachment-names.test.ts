import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';

const knowledge = loadKnowledge();

function mailWith(filenameParam: string, type = 'application/octet-stream'): Uint8Array {
  return new TextEncoder().encode(
    [
      'Received: from mail.sender.example (unknown [203.0.113.9]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000',
      'From: "Ken" <ken@mail.example>',
      'To: user@example.jp',
      'Subject: photos',
      'Date: Thu, 19 Nov 2026 03:12:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'see attached',
      '--b1',
      `Content-Type: ${type}`,
      `Content-Disposition: attachment; ${filenameParam}`,
      'Content-Transfer-Encoding: base64',
      '',
      'TVqQAAMAAAAEAAAA',
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

async function ids(filenameParam: string): Promise<string[]> {
  const o = await checkMessage(mailWith(filenameParam), knowledge);
  if (!o.ok) throw new Error(o.problem.code);
  return (o.result as CheckResult).findings.map((f) => f.id);
}

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
});
