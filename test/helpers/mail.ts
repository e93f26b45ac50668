/**
 * A mail of one text part and one attachment, as the attachment tests need it: the sender, the subject, the body,
 * and the attachment's type, name parameter (`filename="…"`, or RFC 2231 `filename*=utf-8''…`) and bytes.
 */
export function mailWithAttachment(a: {
  body: string;
  type: string;
  /** The Content-Disposition's name parameter, as written. */
  filenameParam: string;
  content: Uint8Array;
  from?: string;
  subject?: string;
}): Uint8Array {
  const b64 = Buffer.from(a.content).toString('base64').replace(/.{76}/g, '$&\r\n');
  return new TextEncoder().encode(
    [
      'Received: from mail.sender.example (unknown [203.0.113.9]) by mx.example.jp; Thu, 19 Nov 2026 03:12:00 +0000',
      `From: ${a.from ?? '"Customer Service" <n@mail.example>'}`,
      'To: user@example.jp',
      `Subject: ${a.subject ?? 'Invoice'}`,
      'Date: Thu, 19 Nov 2026 03:12:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      a.body,
      '--b1',
      `Content-Type: ${a.type}`,
      `Content-Disposition: attachment; ${a.filenameParam}`,
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--b1--',
      '',
    ].join('\r\n'),
  );
}
