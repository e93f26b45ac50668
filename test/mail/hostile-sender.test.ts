import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { checkMessage, type CheckResult } from '#core/check/index.ts';
import { parseMail } from '#core/mail/parse.ts';

const knowledge = loadKnowledge();
const enc = new TextEncoder();

function mail(headers: string[], body = 'ご確認ください。', extra = ''): Uint8Array {
  return enc.encode(
    [
      'Received: from mail.sender.example (unknown [203.0.113.9]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000',
      ...headers,
      'To: user@example.jp',
      'Date: Thu, 19 Nov 2026 03:12:00 +0000',
      'MIME-Version: 1.0',
      extra || 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\n'),
  );
}

async function check(raw: Uint8Array): Promise<CheckResult> {
  const o = await checkMessage(raw, knowledge);
  if (!o.ok) throw new Error(o.problem.code);
  return o.result;
}
const ids = (r: CheckResult) => r.findings.map((f) => f.id);
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('the From field is read as written, hostile or not', () => {
  const cases: { from: string; addresses: string[]; hit: string[] }[] = [
    {
      from: 'Amazon, Support <help@notice-desk.example>',
      addresses: ['help@notice-desk.example'],
      hit: ['sender.brand-name-foreign-domain'],
    },
    {
      from: '=?UTF-8?Q?=41=6D=61=7A=6F=6E=20?= , <marks@esetup.example>',
      addresses: ['marks@esetup.example'],
      hit: ['sender.brand-name-foreign-domain'],
    },
    {
      from: '"Amazon.co.jp" <info@notice.example>, <help@amaz0n-help.example>',
      addresses: ['info@notice.example', 'help@amaz0n-help.example'],
      hit: ['sender.brand-name-foreign-domain', 'sender.lookalike-domain'],
    },
    {
      from: 'Amazon <a@notice.example> <b@amazon-secure.example>',
      addresses: ['a@notice.example', 'b@amazon-secure.example'],
      hit: ['sender.lookalike-domain'],
    },
    {
      from: '"support＠amazon-jp.example" <x@evil.example>',
      addresses: ['x@evil.example', 'support@amazon-jp.example'],
      hit: ['sender.brand-name-foreign-domain', 'sender.lookalike-domain'],
    },
    {
      from: '"Amazon" <service@gmail.com>, "Amazon" <amazon.co.jp@notice.example>',
      addresses: ['service@gmail.com', 'amazon.co.jp@notice.example'],
      hit: ['sender.freemail', 'sender.brand-in-local-part'],
    },
    {
      from: `=?UTF-8?B?${b64(enc.encode('アマゾン'))}?= <サポート@通知.example>`,
      addresses: ['サポート@通知.example'],
      hit: ['sender.brand-name-foreign-domain'],
    },
  ];
  for (const c of cases) {
    it(c.from, async () => {
      const raw = mail([`From: ${c.from}`, 'Subject: ご確認']);
      const parsed = await parseMail(raw, knowledge.scoring.limits);
      expect(parsed.ok && parsed.mail.fromAll.map((m) => m.address)).toEqual(c.addresses);
      const r = await check(raw);
      expect(r.brand).toMatch(/^amazon-/);
      for (const id of c.hit) expect(ids(r)).toContain(id);
      expect(ids(r)).not.toContain('sender.no-address');
    });
  }

  it('a From with no address at all is still sender.no-address', async () => {
    const r = await check(mail(['From: Amazon Support Service', 'Subject: ご確認']));
    expect(ids(r)).toContain('sender.no-address');
  });

  it('Sender: and Reply-To: claim the brand too', async () => {
    const viaSender = await check(
      mail([
        'From: "Notice" <info@notice.example>',
        'Sender: "Amazon.co.jp" <bulk@other.example>',
        'Subject: x',
      ]),
    );
    expect(viaSender.brand).toMatch(/^amazon-/);
    expect(ids(viaSender)).toContain('sender.reply-elsewhere');
    const viaReplyTo = await check(
      mail(['From: "Notice" <info@notice.example>', 'Reply-To: amazon-help@gmail.com', 'Subject: x']),
    );
    expect(viaReplyTo.brand).toMatch(/^amazon-/);
    expect(ids(viaReplyTo)).toContain('sender.freemail');
  });

  it('a mailing service as Sender is not a claim', async () => {
    const r = await check(
      mail(['From: "Taro" <taro@example.net>', 'Sender: bounce@amazonses.com', 'Subject: hi'], 'hello'),
    );
    expect(r.brand).toBeNull();
  });
});

describe('Amazon service names claim Amazon', () => {
  for (const name of ['Kindle Direct', 'Audible', 'Alexa', 'AMZN Mktp', 'Pr1me Video', 'Рrime Support']) {
    it(`sender name "${name}"`, async () => {
      const r = await check(mail([`From: "${name}" <info@notice.example>`, 'Subject: notice'], 'check'));
      expect(r.brand).toMatch(/^amazon-/);
      expect(ids(r)).toContain('sender.brand-name-foreign-domain');
    });
  }
  for (const [from, subject, body] of [
    ['"Alexa Smith" <alexa@gmail.com>', 'dinner', 'See you at eight.'],
    ['"Taro" <taro@example.net>', 'prime numbers', 'The primes below ten are 2, 3, 5 and 7.'],
    ['"Fire Safety" <info@alarm.example>', 'Alarm test', 'The alarm is audible from the street.'],
  ] as const) {
    it(`ordinary words do not: ${from} / ${subject}`, async () => {
      const r = await check(mail([`From: ${from}`, `Subject: ${subject}`], body));
      expect(r.brand).toBeNull();
      expect(r.verdict).toBe('unrelated');
    });
  }
});

describe('letters split by combining marks and joiners', () => {
  const cgj = (s: string) => [...s].join('\u034F');
  it('"A͏m͏a͏z͏o͏n" in the subject is a claim and an invisible-characters finding', async () => {
    const r = await check(
      mail(['From: "Support" <info@notice.example>', `Subject: ${cgj('Amazon')} account`]),
    );
    expect(r.brand).toMatch(/^amazon-/);
    expect(ids(r)).toContain('text.invisible-chars');
  });
  it('in the sender name', async () => {
    const r = await check(mail([`From: "${cgj('Amazon')}" <info@notice.example>`, 'Subject: notice']));
    expect(ids(r)).toContain('sender.brand-name-foreign-domain');
    expect(ids(r)).toContain('text.invisible-chars');
  });
  it('phrase lists match through them', async () => {
    const r = await check(
      mail(
        ['From: "Amazon" <info@notice.example>', 'Subject: ご確認'],
        `${cgj('24時間以内')}にご確認ください。`,
      ),
    );
    expect(ids(r)).toContain('text.urgency');
  });
  it('an accent on a Latin letter is not one', async () => {
    const r = await check(
      mail(['From: "Zoé" <zoe@example.net>', 'Subject: cafe\u0301 re\u0301sume\u0301'], 'hi'),
    );
    expect(ids(r)).not.toContain('text.invisible-chars');
  });
});

describe('no false alarms on ordinary mail', () => {
  const pdf = b64(enc.encode('%PDF-1.4\n1 0 obj << /Type /Catalog >>\nendobj\n%%EOF\n'));
  const withAttachment = (subject: string, name: string, content: string) =>
    mail(
      ['From: "Taro" <taro@example.net>', `Subject: ${subject}`],
      [
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        '資料を送ります。',
        '--b1',
        `Content-Type: application/pdf; name="${name}"`,
        `Content-Disposition: attachment; filename="${name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        content,
        '--b1--',
      ].join('\n'),
      'Content-Type: multipart/mixed; boundary="b1"',
    );

  it('a PDF and a garbled subject, no brand: unrelated', async () => {
    const r = await check(withAttachment('資料��送付', 'minutes.pdf', pdf));
    expect(ids(r)).toEqual(expect.arrayContaining(['attach.pdf', 'text.mojibake']));
    expect(r.verdict).toBe('unrelated');
  });
  it('a file named .pdf that is not one is its own finding, and alone weighs nothing', async () => {
    const r = await check(withAttachment('資料', 'minutes.pdf', b64(enc.encode('PK\u0003\u0004 not a pdf'))));
    expect(ids(r)).toContain('attach.pdf-invalid');
    expect(ids(r)).not.toContain('attach.pdf');
    expect(r.verdict).toBe('unrelated');
  });
  it('a UTF-8 character split across two encoded words is joined', async () => {
    const bytes = enc.encode('アマゾンの請求書');
    const subject = `=?UTF-8?B?${b64(bytes.subarray(0, 4))}?= =?UTF-8?B?${b64(bytes.subarray(4))}?=`;
    const parsed = await parseMail(
      mail(['From: "Taro" <taro@example.net>', `Subject: ${subject}`]),
      knowledge.scoring.limits,
    );
    expect(parsed.ok && parsed.mail.subject).toBe('アマゾンの請求書');
    const name = `=?UTF-8?B?${b64(bytes.subarray(0, 5))}?= =?UTF-8?B?${b64(bytes.subarray(5, 12))}?=`;
    const r = await check(mail([`From: ${name} <n@notice.example>`, 'Subject: x']));
    expect(r.from).toBe('アマゾン <n@notice.example>');
    expect(ids(r)).not.toContain('text.mojibake');
  });
});
