import { spawn, spawnSync } from 'node:child_process';
import type { Alert, Notifier } from '#core/ports/notifier.ts';

/**
 * A desktop notification through `notify-send` (libnotify) where there is a desktop to show it on; null
 * elsewhere (a server, a terminal over SSH). Fire and forget: a notification that fails never stops the watcher.
 */
export function desktopNotifier(
  text: (key: string, params?: Record<string, unknown>) => string,
  env: Record<string, string | undefined> = process.env,
): Notifier | null {
  if (process.platform !== 'linux' || (!env.DISPLAY && !env.WAYLAND_DISPLAY)) return null;
  if (spawnSync('sh', ['-c', 'command -v notify-send'], { stdio: 'ignore' }).status !== 0) return null;
  return {
    notify: (a: Alert) => {
      const p = spawn(
        'notify-send',
        ['--urgency=critical', '--app-name=mamori', 'mamori', text(a.key, a.params)],
        {
          stdio: 'ignore',
          detached: true,
        },
      );
      p.on('error', () => {});
      p.unref();
    },
  };
}

/** Tells every notifier given. */
export const allNotifiers = (...ns: (Notifier | null)[]): Notifier => ({
  notify: (a) => {
    for (const n of ns) n?.notify(a);
  },
});
