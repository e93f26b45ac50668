import { encodeBase64 } from '#core/bytes.ts';

/**
 * What an Outlook .msg reader gives (@kenjiuno/msgreader's file data, the fields mamori uses). The reader runs
 * outside the core, in a bounded worker (a Node worker thread in the CLI, a Web Worker in the page).
 */
export interface MsgData {
  headers?: string;
  subject?: string;
  senderName?: string;
  senderEmail?: string;
  body?: string;
  bodyHtml?: string;
  html?: Uint8Array;
  attachments?: { fileName?: string; attachMimeTag?: string }[];
  error?: string;
}

/** The fields mamori uses, from the reader's file data (anything else is dropped; wrong types read as absent). */
export function msgFields(d: Record<string, unknown>): MsgData {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: MsgData = {};
  for (const k of ['headers', 'subject', 'senderName', 'senderEmail', 'body', 'bodyHtml', 'error'] as const) {
    const v = str(d[k]);
    if (v !== undefined) out[k] = v;
  }
  if (d.html instanceof Uint8Array) out.html = d.html;
  out.attachments = (Array.isArray(d.attachments) ? (d.attachments as unknown[]) : []).map((a) => {
    const r = (a ?? {}) as Record<string, unknown>;
    const fileName = str(r.fileName);
    const attachMimeTag = str(r.attachMimeTag);
    return {
      ...(fileName !== undefined ? { fileName } : {}),
      ...(attachMimeTag !== undefined ? { attachMimeTag } : {}),
    };
  });
  return out;
}

const encoder = new TextEncoder();
const utf8Base64 = (s: string) => encodeBase64(encoder.encode(s));

/** The .msg reader's data as an RFC 822 message: its transport headers (when kept) and its bodies. */
export function msgDataToRfc822(data: MsgData): Uint8Array {
  if (data.error) throw new Error(data.error);
  const kept = (data.headers ?? '')
    .split(/\r?\n(?![ \t])/)
    .filter((h) => h.trim() && !/^(content-[a-z-]+|mime-version):/i.test(h));
  const have = (name: string) => kept.some((h) => h.toLowerCase().startsWith(name + ':'));
  const mime = (s: string) => `=?UTF-8?B?${utf8Base64(s)}?=`;
  if (!have('from') && (data.senderEmail || data.senderName))
    kept.push(`From: ${data.senderName ? mime(data.senderName) + ' ' : ''}<${data.senderEmail ?? ''}>`);
  if (!have('subject') && data.subject) kept.push(`Subject: ${mime(data.subject)}`);
  const html = data.bodyHtml ?? (data.html ? new TextDecoder('utf-8').decode(data.html) : '');
  const b64 = (s: string) => utf8Base64(s).replace(/.{76}/g, '$&\r\n');
  const parts = [
    `--mamori-msg\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(data.body ?? '')}\r\n`,
  ];
  if (html)
    parts.push(
      `--mamori-msg\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(html)}\r\n`,
    );
  for (const a of data.attachments ?? []) {
    const name = a.fileName ?? 'attachment';
    parts.push(
      `--mamori-msg\r\nContent-Type: ${a.attachMimeTag ?? 'application/octet-stream'}; name="${mime(name)}"\r\nContent-Disposition: attachment; filename="${mime(name)}"\r\n\r\n\r\n`,
    );
  }
  const text = `${kept.join('\r\n')}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="mamori-msg"\r\n\r\n${parts.join('')}--mamori-msg--\r\n`;
  return encoder.encode(text);
}
