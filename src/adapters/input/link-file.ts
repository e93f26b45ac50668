/**
 * Internet shortcut files hold one link: Windows `.url` (an INI file, `URL=` under `[InternetShortcut]`) and macOS
 * `.webloc` (an XML property list, `<key>URL</key><string>…</string>`; a binary plist is read for its URL text too).
 * The link is checked as if pasted on its own; the file is never opened as a link.
 */
export const LINK_FILE_EXTENSIONS = new Set(['.url', '.webloc']);

const decodeEntities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n) % 0x110000))
    .replace(/&amp;/g, '&');

/** The link a shortcut file holds, or null when it holds none. */
export function linkOfShortcut(ext: string, bytes: Uint8Array): string | null {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 1 << 20));
  if (ext === '.url') {
    const m = /^\s*URL\s*=\s*(\S.*?)\s*$/im.exec(text);
    return m ? m[1]! : null;
  }
  const xml = /<key>\s*URL\s*<\/key>\s*<string>([^<]*)<\/string>/i.exec(text);
  if (xml) return decodeEntities(xml[1]!.trim()) || null;
  // A binary plist stores the URL as an ASCII string among its objects.
  const bin = /https?:\/\/[\x21-\x7e]+/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 1 << 20)));
  return bin ? bin[0] : null;
}
