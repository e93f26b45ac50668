// Writes the picture fixtures into test/fixtures/pictures/ (committed; run again after changing this file):
// screenshots of SMS-like and mail-like messages rendered by the local Chromium with the Noto CJK fonts, QR codes
// made with `qrcode` as PNG, JPEG and inside a PDF (pdfkit), and mails carrying those pictures. Nothing comes from
// the corpus. `npx tsx scripts/make-picture-fixtures.ts`
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { chromium } from 'playwright';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'pictures');
mkdirSync(OUT, { recursive: true });

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const page = (body: string) => `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; font-family: "Noto Sans CJK JP", sans-serif; background: #f2f2f7; color: #111; }
.bar { background: #fff; padding: 14px 16px; font-size: 17px; font-weight: 600; border-bottom: 1px solid #ddd; }
.bubble { background: #e5e5ea; border-radius: 18px; margin: 16px 48px 8px 14px; padding: 12px 14px; font-size: 19px; line-height: 1.5; word-break: break-all; }
.time { color: #666; font-size: 14px; text-align: center; margin-top: 18px; }
.mail { background: #fff; margin: 0; padding: 18px; font-size: 18px; line-height: 1.55; word-break: break-all; }
.hdr { color: #333; font-size: 16px; border-bottom: 1px solid #ddd; padding-bottom: 10px; margin-bottom: 12px; }
</style><body>${body}</body>`;
const sms = (sender: string, text: string) =>
  page(
    `<div class="bar">${esc(sender)}</div><div class="time">今日 10:24</div><div class="bubble">${esc(text)}</div>`,
  );
const mail = (from: string, subject: string, text: string) =>
  page(
    `<div class="mail"><div class="hdr">From: ${esc(from)}<br>Subject: ${esc(subject)}</div>${esc(text).replace(/\n/g, '<br>')}</div>`,
  );

/** The screenshots: a phone-sized viewport (390 × 844 CSS px at 2×: 780 × 1688 pixels, as a phone saves them). */
const screenshots: Record<string, string> = {
  'sms-phish-ja.png': sms(
    '+81 80-4417-2093',
    '【Amazon】お客様のアカウントでお支払い方法に問題が発生しました。本日中に下記より情報を更新してください。 https://amazon-co-jp.account-verify.top/login',
  ),
  'sms-ordinary-ja.png': sms(
    'お母さん',
    '明日は18時に駅の改札で待ち合わせでいいかな。夕ご飯は家で食べようね。気をつけて帰ってきてください。',
  ),
  'sms-callback-ja.png': sms(
    'Amazon',
    '【Amazon】ご注文ありがとうございます。iPhone 15 Pro 256GB お支払い金額 ¥189,800。このご注文にお心当たりがない場合は、本日中にサポートセンターまでお電話ください。サポートセンター 050-3184-2760',
  ),
  'mail-phish-en.png': mail(
    'Amazon <service@amazon-account-help.xyz>',
    'Your account has been locked',
    'Dear Customer,\nWe detected unusual activity and your Amazon account has been locked.\nVerify your information within 24 hours: https://amazon.account-secure.xyz/verify\nIf you did not do this, call us at 0120-958-314.',
  ),
  'mail-ordinary-en.png': mail(
    'Ken Sato <ken.sato@example.org>',
    'Lunch on Friday',
    'Hi Aiko,\nAre you free for lunch on Friday? The new noodle place near the station opens at noon.\nSee you soon,\nKen',
  ),
};

const LOOKALIKE = 'https://amazon-co-jp.verify-account.top/signin?id=8812';
const OFFICIAL = 'https://www.amazon.co.jp/gp/your-account/order-history';

async function qrPng(
  text: string,
  dark = '#000000',
  light = '#ffffff',
  width = 800,
  height = 600,
): Promise<PNG> {
  // The QR code drawn centred on a canvas of the given size (an 800 × 600 image, as a phone photo cropped).
  const code = await QRCode.toBuffer(text, { type: 'png', margin: 2, scale: 8, color: { dark, light } });
  const qr = PNG.sync.read(code);
  const out = new PNG({ width, height });
  const bg = light === '#ffffff' ? 255 : 0;
  for (let i = 0; i < out.data.length; i += 4) {
    out.data[i] = out.data[i + 1] = out.data[i + 2] = bg;
    out.data[i + 3] = 255;
  }
  const x0 = Math.floor((width - qr.width) / 2);
  const y0 = Math.floor((height - qr.height) / 2);
  PNG.bitblt(qr, out, 0, 0, qr.width, qr.height, x0, y0);
  return out;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/.{76}/g, '$&\r\n');

function eml(
  headers: string,
  html: string,
  parts: { cid?: string; name: string; type: string; bytes: Uint8Array }[],
) {
  const boundary = '----=_mamori_pictures';
  const lines = [
    headers.trim().replace(/\n/g, '\r\n'),
    'MIME-Version: 1.0',
    `Content-Type: multipart/related; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
  ];
  for (const p of parts) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${p.type}; name="${p.name}"`,
      'Content-Transfer-Encoding: base64',
      p.cid ? `Content-ID: <${p.cid}>` : `Content-Disposition: attachment; filename="${p.name}"`,
      ...(p.cid ? ['Content-Disposition: inline'] : []),
      '',
      b64(p.bytes),
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const tab = await ctx.newPage();
  for (const [name, html] of Object.entries(screenshots)) {
    await tab.setContent(html);
    const png = await tab.screenshot({ type: 'png' });
    writeFileSync(join(OUT, name), png);
    if (name === 'sms-phish-ja.png') {
      // The same screenshot as a phone's JPEG, and as WebP (Chromium's own encoder, through a canvas).
      writeFileSync(join(OUT, 'sms-phish-ja.jpg'), await tab.screenshot({ type: 'jpeg', quality: 85 }));
      // Runs in the page (DOM code, so given as text: this script is type-checked without the DOM library).
      const webp = await tab.evaluate<string>(`(async () => {
        const img = new Image();
        img.src = 'data:image/png;base64,${png.toString('base64')}';
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        c.getContext('2d').drawImage(img, 0, 0);
        return c.toDataURL('image/webp', 0.9);
      })()`);
      writeFileSync(join(OUT, 'sms-phish-ja.webp'), Buffer.from(webp.split(',')[1]!, 'base64'));
    }
  }
  // The banner of an image-only mail: the whole message is this picture, with a link around it.
  const banner = await browser.newPage({ viewport: { width: 600, height: 260 } });
  await banner.setContent(
    page(
      '<div class="mail" style="font-size:24px">Amazon プライム会員の自動更新に失敗しました。<br>お支払い方法に問題があります。24時間以内に情報を更新してください。<br><b>アカウントを確認する</b></div>',
    ),
  );
  const bannerPng = await banner.screenshot({ type: 'png' });
  await banner.close();

  const lookalike = await qrPng(LOOKALIKE);
  const official = await qrPng(OFFICIAL);
  const inverted = await qrPng(LOOKALIKE, '#ffffff', '#000000');
  const files: Record<string, Uint8Array> = {
    'qr-lookalike.png': PNG.sync.write(lookalike),
    'qr-official.png': PNG.sync.write(official),
    'qr-inverted.png': PNG.sync.write(inverted),
    'qr-lookalike.jpg': jpeg.encode({ data: lookalike.data, width: 800, height: 600 }, 80).data,
    'no-qr.png': PNG.sync.write(await qrPng('x', '#ffffff', '#ffffff')),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(OUT, name), bytes);

  // A PDF whose page is a QR code (pdfkit embeds the PNG as an image).
  const pdf = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  pdf.fontSize(18).text('Scan to verify your account', 72, 72);
  pdf.image(Buffer.from(files['qr-lookalike.png']!), 72, 120, { width: 400 });
  pdf.end();
  await new Promise((r) => pdf.on('end', r));
  const pdfBytes = Buffer.concat(chunks);
  writeFileSync(join(OUT, 'qr-lookalike.pdf'), pdfBytes);

  const common = (from: string, subject: string) => `From: ${from}
To: aiko@example.jp
Subject: ${subject}
Date: Tue, 1 Dec 2026 09:00:00 +0900
Message-ID: <${subject.length}.${from.length}@pictures.mamori.test>`;
  const mails: Record<string, string> = {
    'mail-qr-lookalike.eml': eml(
      common('Amazon <no-reply@amazon-notice-center.com>', 'Amazon account verification'),
      '<p>Your Amazon account needs to be verified. Please scan the attached QR code with your phone.</p>',
      [{ name: 'verify.png', type: 'image/png', bytes: files['qr-lookalike.png']! }],
    ),
    'mail-qr-official.eml': eml(
      common('Aiko Tanaka <aiko.tanaka@example.org>', 'order list'),
      '<p>Here is the QR code of the order history page I told you about.</p>',
      [{ name: 'orders.png', type: 'image/png', bytes: files['qr-official.png']! }],
    ),
    'mail-qr-inline.eml': eml(
      common('Amazon <no-reply@amazon-notice-center.com>', 'Amazon sign-in check'),
      '<p>Scan this code to keep using your account.</p><img src="cid:qr1@mamori">',
      [{ cid: 'qr1@mamori', name: 'qr.jpg', type: 'image/jpeg', bytes: files['qr-lookalike.jpg']! }],
    ),
    'mail-image-only.eml': eml(
      common('Amazon.co.jp <info@prime-renewal-support.com>', 'Amazonプライム'),
      '<a href="https://prime-renewal-support.com/amazon/update"><img src="cid:banner@mamori" alt=""></a>',
      [{ cid: 'banner@mamori', name: 'banner.png', type: 'image/png', bytes: bannerPng }],
    ),
    'mail-qr-pdf.eml': eml(
      common('Amazon <no-reply@amazon-notice-center.com>', 'Amazon invoice'),
      '<p>Your invoice is attached.</p>',
      [{ name: 'invoice.pdf', type: 'application/pdf', bytes: pdfBytes }],
    ),
  };
  for (const [name, text] of Object.entries(mails)) writeFileSync(join(OUT, name), text);
} finally {
  await browser.close();
}
