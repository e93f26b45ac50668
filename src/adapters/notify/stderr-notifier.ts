import type { Alert, Notifier } from '#core/ports/notifier.ts';

/** Alerts as lines on standard error, worded by the interface's translator. */
export function stderrNotifier(
  text: (key: string, params?: Record<string, unknown>) => string,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Notifier {
  return { notify: (a: Alert) => write(text(a.key, a.params)) };
}
