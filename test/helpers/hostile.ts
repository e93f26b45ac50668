/**
 * Generators of the hostile inputs that once stopped or slowed mamori, or raised its trust: each regression test
 * and the fuzzer's seeds are built from these, never from copied files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Order } from '#core/reconcile/orders.ts';

const fixtures = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));
const enc = (s: string) => new TextEncoder().encode(s);

/** A genuine-shaped Amazon mail (authenticated by the receiving provider): its header block and its text. */
export function genuineParts(): { head: string; text: string } {
  const raw = readFileSync(`${fixtures}genuine/jp-amazon-pay.eml`, 'latin1');
  const cut = raw.search(/\r?\n\r?\n/);
  const head = raw
    .slice(0, cut)
    .split(/\r?\n(?![ \t])/)
    .filter((h) => !/^(content-type|content-transfer-encoding|mime-version):/i.test(h))
    .join('\r\n');
  return { head, text: 'Amazon Pay をご利用いただきありがとうございます。\r\n' };
}

/** A phishing mail (foreign sender posing as Amazon, a look-alike link), optionally after one padding header line. */
export function phishWithPadding(padBytes: number): Uint8Array {
  const pad = padBytes > 0 ? `X-Pad: ${'A'.repeat(padBytes)}\r\n` : '';
  return enc(
    `${pad}Received: from x.example (unknown [203.0.113.1]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000\r\n` +
      `From: "Amazon.co.jp" <n@x.example>\r\nSubject: アカウント確認\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `Amazon アカウントを確認してください https://amazon-check.example.xyz/\r\n`,
  );
}

/** The genuine-shaped mail carrying `Invoice.exe`, whose part headers may be padded past the header budget. */
export function genuineWithExe(partHeaderPad: number): Uint8Array {
  const { head, text } = genuineParts();
  const pad = partHeaderPad > 0 ? `X-Pad: ${'A'.repeat(partHeaderPad)}\r\n` : '';
  return enc(
    `${head}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n` +
      `--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}` +
      `--b\r\n${pad}Content-Type: application/octet-stream; name="Invoice.exe"\r\n` +
      `Content-Disposition: attachment; filename="Invoice.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b--\r\n`,
  );
}

const phishHead =
  'Received: from x.example (unknown [203.0.113.1]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000\r\nFrom: "Amazon.co.jp" <n@x.example>\r\nMIME-Version: 1.0\r\n';

/** A Subject of `bytes` of encoded words (quadratic inside postal-mime once past its header limit). */
export function encodedWordSubject(bytes: number): Uint8Array {
  return enc(`${phishHead}Subject: ${'=?utf-8?B?44GC?= '.repeat(Math.ceil(bytes / 16))}\r\n\r\nhi\r\n`);
}

/** `count` boundary lines in a row (one MIME part each). */
export function boundaryLines(count: number): Uint8Array {
  return enc(
    `${phishHead}Subject: x\r\nContent-Type: multipart/mixed; boundary="a"\r\n\r\n${'--a\r\n'.repeat(count)}`,
  );
}

/** A base64 part of `bytes` of padded units (`A=` lines: a chunk each inside postal-mime). */
export function paddedBase64(bytes: number): Uint8Array {
  return enc(
    `${phishHead}Subject: x\r\nContent-Type: multipart/mixed; boundary="a"\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\nhello\r\n` +
      `--a\r\nContent-Type: application/octet-stream; name="x.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${'A=\r\n'.repeat(Math.ceil(bytes / 4))}--a--\r\n`,
  );
}

/** `bytes` of nested `<div>` before a link. */
export function nestedDivs(bytes: number): Uint8Array {
  return enc(
    `${phishHead}Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${'<div>'.repeat(Math.ceil(bytes / 5))}<a href="https://amazon-check.example.xyz/">Amazon</a>\r\n`,
  );
}

/** `count` physical orders sharing one timestamp (a broken or hostile export). */
export function sameTimeOrders(count: number): Order[] {
  return Array.from({ length: count }, (_, i): Order => ({
    orderId: `249-${String(1000000 + i).padStart(7, '0')}-${String(i).padStart(7, '0')}`,
    storefront: 'amazon-jp',
    kind: 'physical',
    orderAt: '2026-11-19T03:12',
    orderDate: '2026-11-19',
    total: 1000 + (i % 7),
    currency: 'JPY',
    status: 'ok',
    items: [{ name: `item ${i}`, amount: 1000 + (i % 7), quantity: 1, asin: null }],
    shipments: [{ date: '2026-11-20', amount: 1000 + (i % 7) }],
    payments: [],
    paymentMethod: null,
    paymentMethods: [],
    shipTo: 'Yamada',
    seller: 'Amazon',
    giftTo: null,
    sources: ['fuzz'],
  }));
}

/** The Outlook fixture. */
export function msgFixture(): Uint8Array {
  return new Uint8Array(readFileSync(`${fixtures}outlook/jp-phish.msg`));
}

/** The Outlook fixture with its directory's FAT entry pointing at itself: a chain that never ends. */
export function loopingMsg(): Uint8Array {
  const b = msgFixture();
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = 1 << v.getUint16(0x1e, true);
  const dir = v.getUint32(0x30, true);
  const fat0 = v.getUint32(0x4c, true);
  const perFat = size / 4;
  if (dir < perFat) v.setUint32((fat0 + 1) * size + dir * 4, dir, true);
  return b;
}

/** Found by the fuzzer: quoted-printable text under a base64 label (a base64 unit per `=`: 600 MB for 2 MB). */
export function qpUnderBase64(bytes: number): Uint8Array {
  return enc(
    `${phishHead}Subject: x\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${'=E7=A2=BA=E8=AA=8D=E3=81=99=E3=82=8B\r\n'.repeat(Math.ceil(bytes / 38))}`,
  );
}

/** Found by the fuzzer: pasted HTML (no headers) of several MB. */
export function pastedHtml(bytes: number): Uint8Array {
  return enc(
    `<html><body>${'<p>Amazon <a href="https://amazon-check.example.xyz/">確認</a></p>'.repeat(Math.ceil(bytes / 64))}`,
  );
}

/** Found by the fuzzer: a long run of invisible marks between two letters (a scan per mark: quadratic). */
export function combiningRun(count: number): Uint8Array {
  return enc(
    `${phishHead}Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nあ${'\u200b'.repeat(count)}い\r\n`,
  );
}

/** Found by the fuzzer: a text part of many MB (decoded whole, then capped). */
export function hugeTextPart(bytes: number): Uint8Array {
  return enc(
    `${phishHead}Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${'Amazon アカウント確認\r\n'.repeat(Math.ceil(bytes / 30))}`,
  );
}
