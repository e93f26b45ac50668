import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '#adapters/knowledge/load.ts';
import { translator } from '#interfaces/i18n.ts';
import { WriteError, fsErrorText, sourceLabel } from '#interfaces/cli/messages.ts';
import { problemText } from '#interfaces/cli/ledger-commands.ts';

// The permission cases cannot be staged as root (CI): the errors Node and SQLite throw are built here.
const errno = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });

describe('file-system errors are one sentence with the thing to do', () => {
  const ja = translator(loadKnowledge(), 'ja');
  const en = translator(loadKnowledge(), 'en');
  it('reading, writing and the store, in both languages', () => {
    expect(fsErrorText(ja, errno('EACCES', 'scandir', '/data/明細'))).toContain(
      '/data/明細 を読む権限がありません',
    );
    expect(
      fsErrorText(ja, new WriteError('/mnt/usb/r.pdf', errno('ENOSPC', 'write', '/mnt/usb/r.pdf'))),
    ).toContain('ディスクの空きがなく');
    expect(fsErrorText(ja, new WriteError('/ro/r.pdf', errno('EROFS', 'open', '/ro/r.pdf')))).toContain(
      '--out',
    );
    expect(fsErrorText(ja, new WriteError('/tmp', errno('EISDIR', 'open', '/tmp')))).toContain(
      'フォルダーです',
    );
    expect(
      fsErrorText(
        ja,
        errno('EACCES', 'mkdir', '/home/x/.local/share/mamori'),
        undefined,
        '/home/x/.local/share/mamori',
      ),
    ).toContain('MAMORI_HOME');
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(fsErrorText(ja, full, undefined, '/home/x/mamori')).toContain('途中までの保存はしていません');
    expect(fsErrorText(en, full, undefined, '/home/x/mamori')).toContain('The disk is full');
    expect(fsErrorText(ja, new Error('boom'))).toBeNull();
  });
  it('an import the system would not let us read says why, in words', () => {
    const text = problemText(ja, { code: 'unreadable', file: '/data/明細', detail: 'EACCES' });
    expect(text).toContain('権限がありません');
    expect(text).not.toContain('EACCES');
  });
  it('pasted text has a name', () => {
    expect(sourceLabel(ja, '-')).toBe('貼り付けたテキスト');
    expect(sourceLabel(en, '-#2')).toBe('pasted text #2');
  });
});
