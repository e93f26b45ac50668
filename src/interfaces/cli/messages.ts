import { resolve } from 'node:path';
import type { CommanderError } from 'commander';
import type { Translator } from '#interfaces/i18n.ts';

const COMMANDS = ['check', 'import', 'reconcile', 'plan', 'case', 'report', 'demo', 'help'];
const CASE_COMMANDS = ['new', 'list', 'show', 'step', 'event', 'add-mail', 'add-charges', 'checkup', 'ics'];

/** The command a person typed (`mamori case step`), to point at its `--help`. */
function commandOf(argv: string[]): string {
  const words = argv.filter((a) => !a.startsWith('-'));
  const top = words.find((w) => COMMANDS.includes(w));
  if (!top || top === 'help') return 'mamori';
  if (top !== 'case') return `mamori ${top}`;
  const sub = words.slice(words.indexOf('case') + 1).find((w) => CASE_COMMANDS.includes(w));
  return sub ? `mamori case ${sub}` : 'mamori case';
}

const quoted = (message: string, n = 0): string => [...message.matchAll(/'([^']*)'/g)][n]?.[1] ?? '';

/** commander's own errors (written in English by commander) as sentences of data/messages, with what to type. */
export function commanderErrorText(t: Translator, err: CommanderError, argv: string[]): string {
  const command = commandOf(argv);
  // Japanese sentences follow each other without a space.
  const join = (...parts: string[]) => parts.join(t.lang === 'ja' ? '' : ' ');
  const hint = t.t('cli.help-hint', { command });
  const m = err.message;
  switch (err.code) {
    case 'commander.unknownOption': {
      const suggestion = /Did you mean (\S+?)\?/.exec(m)?.[1];
      return join(
        t.t('cli.unknown-option', { option: quoted(m) }),
        suggestion ? t.t('cli.did-you-mean', { suggestion }) : hint,
      );
    }
    case 'commander.unknownCommand': {
      const suggestion = /Did you mean (\S+?)\?/.exec(m)?.[1];
      return join(
        t.t('cli.unknown-command', { name: quoted(m) }),
        suggestion
          ? t.t('cli.did-you-mean', { suggestion })
          : t.t('cli.help-hint', { command: command === 'mamori case' ? command : 'mamori' }),
      );
    }
    case 'commander.missingArgument':
      return join(t.t('cli.missing-argument', { name: quoted(m) }), hint);
    case 'commander.optionMissingArgument':
      return join(t.t('cli.option-missing-argument', { option: quoted(m).split(' ')[0] }), hint);
    case 'commander.missingMandatoryOptionValue':
      return join(t.t('cli.missing-mandatory', { option: quoted(m).split(' ')[0] }), hint);
    case 'commander.excessArguments':
      return join(t.t('cli.excess-arguments'), hint);
    case 'commander.invalidArgument':
      return t.t('cli.invalid-choice', {
        option: quoted(m).split(' ')[0],
        value: quoted(m, 1),
        choices: /Allowed choices are (.*)\.$/.exec(m)?.[1] ?? '',
      });
    default:
      return join(t.t('cli.usage-error'), hint);
  }
}

/** A file that could not be written (`--out`, the .ics, the report): said with the path as the person gave it. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`cannot write ${path}`);
  }
}

const FS_CODES = new Set(['EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'EROFS', 'ENOENT', 'EISDIR', 'ENOTDIR']);
const canonical = (code: string) => (code === 'EPERM' ? 'EACCES' : code === 'EDQUOT' ? 'ENOSPC' : code);
const WRITE_SYSCALLS = new Set(['mkdir', 'write', 'rename', 'unlink', 'copyfile', 'fsync']);

/** The sentence for a file-system reason of reading `path` (an import's unreadable file), or null. */
export function readProblemText(t: Translator, code: string, path: string): string | null {
  if (!FS_CODES.has(code)) return null;
  const c = canonical(code);
  const key = ['EACCES', 'ENOENT', 'EISDIR', 'ENOTDIR'].includes(c) ? c : 'other';
  return t.t(`fs.read.${key}`, { path: resolve(path) });
}

/**
 * The sentence for a file-system or SQLite error (no permission, a full disk, a read-only place, a missing
 * folder …), naming the one thing to do; null when `err` is not one. `home` is the store's folder.
 */
export function fsErrorText(t: Translator, err: unknown, path?: string, home?: string): string | null {
  const write = err instanceof WriteError;
  const e = (write ? err.reason : err) as (NodeJS.ErrnoException & { code?: unknown }) | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code.startsWith('SQLITE_') && home) {
    const kind =
      code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR_WRITE')
        ? 'ENOSPC'
        : code.startsWith('SQLITE_READONLY')
          ? 'EROFS'
          : code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')
            ? 'corrupt'
            : code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')
              ? 'EACCES'
              : null;
    return kind ? t.t(`fs.store.${kind}`, { path: resolve(home) }) : null;
  }
  if (!FS_CODES.has(code)) return null;
  const c = canonical(code);
  const where = resolve((write ? err.path : undefined) ?? e?.path ?? path ?? '.');
  if (home && !write && (where === resolve(home) || where.startsWith(resolve(home) + '/')))
    return t.t(`fs.store.${['EACCES', 'ENOSPC', 'EROFS'].includes(c) ? c : 'other'}`, { path: where });
  if (write || WRITE_SYSCALLS.has(e?.syscall ?? '') || c === 'ENOSPC' || c === 'EROFS')
    return t.t(`fs.write.${c}`, { path: where });
  return readProblemText(t, c, where);
}

/** What to do at a terminal that waits for pasted text: paste, then the end-of-input keys of this system. */
export function pastePrompt(t: Translator): string {
  return t.t('check.paste-prompt', {
    keys: t.t(process.platform === 'win32' ? 'check.paste-keys.windows' : 'check.paste-keys.unix'),
  });
}

/** How a mail source is shown: pasted text by its name, not `-`. */
export function sourceLabel(t: Translator, label: string): string {
  if (label === '-') return t.t('label.pasted');
  const m = /^-#(\d+)$/.exec(label);
  return m ? `${t.t('label.pasted')} #${m[1]}` : label;
}

/** Why a mail could not be checked, as one sentence: a PDF or a picture is named as such, with what to give. */
export function mailProblemText(
  t: Translator,
  problem: { code: string; kind?: unknown } & Record<string, unknown>,
  source: string,
): string {
  const key = problem.code === 'binary' && typeof problem.kind === 'string' ? problem.kind : problem.code;
  return t.t(`error.${key}`, { ...problem, source });
}
