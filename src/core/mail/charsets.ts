/**
 * Charset labels of Chinese encodings. Japanese mail is often sent under one of these by mistake (GB2312 even
 * shares the kana rows with EUC-JP), so a part labelled so is decoded again when its bytes read as Japanese.
 */
export const CHINESE_CHARSET_LABELS = [
  'gb2312',
  'gbk',
  'gb18030',
  'big5',
  'hz-gb-2312',
  'x-gbk',
  'cp936',
  'euc-cn',
] as const;

const alternatives = CHINESE_CHARSET_LABELS.join('|');

/** A label that is exactly one of `CHINESE_CHARSET_LABELS`. */
export const CHINESE_LABEL = new RegExp(`^(${alternatives})$`, 'i');
/** A `charset=` parameter naming one of them, anywhere in raw header text. */
export const CHINESE_CHARSET_PARAM = new RegExp(`charset\\s*=\\s*"?(${alternatives})\\b`, 'i');
