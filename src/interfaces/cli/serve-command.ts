import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '#adapters/knowledge/load.ts';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Store } from '#core/ports/store.ts';
import { PortError, startServer } from '#interfaces/http/server.ts';
import type { Translator } from '#interfaces/i18n.ts';
import { UsageError } from './args.ts';
import type { Io } from './check-command.ts';

export interface ServeOptions {
  port?: string;
  /** commander's `--no-open`. */
  open: boolean;
}

export function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const s = raw.normalize('NFKC').trim();
  if (!/^\d{1,5}$/.test(s) || Number(s) > 65535) throw new UsageError('usage.port', { value: raw });
  return Number(s);
}

/** Whether a browser can be opened here: not in CI, not on a Linux without a display, not when told not to. */
export function canOpenBrowser(open: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!open || env.CI === 'true' || env.CI === '1') return false;
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  return true;
}

function openBrowser(url: string, onFail: () => void): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.once('error', onFail);
    child.unref();
  } catch {
    onFail();
  }
}

/** `mamori serve`: the web app on 127.0.0.1, storing in the same SQLite store as the CLI, until Ctrl-C. */
export async function runServe(
  opts: ServeOptions,
  ctx: { knowledge: Knowledge; t: Translator; io: Io; store: () => Store },
): Promise<number> {
  const { t, io } = ctx;
  const port = parsePort(opts.port);
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  // The signals are ours before the URL is printed: a Ctrl-C (or a test's SIGTERM) right after it still shuts down
  // cleanly instead of killing the process with the store open.
  let signalled = false;
  let onSignal = () => {
    signalled = true;
  };
  const handler = () => onSignal();
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  const store = ctx.store();
  let server;
  try {
    server = await startServer({
      store,
      knowledge: ctx.knowledge,
      lang: t.lang,
      port,
      webRoot: join(root, 'dist', 'web'),
      version,
    });
  } catch (e) {
    store.close();
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    if (e instanceof PortError) {
      io.err(t.t(e.reason === 'EADDRINUSE' ? 'serve.port-in-use' : 'serve.port-refused', { port: e.port }));
      return 1;
    }
    throw e;
  }
  const running = server;
  const stopped = new Promise<number>((resolve) => {
    onSignal = () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      void running.close().then(() => {
        store.close();
        io.out(t.t('serve.stopped'));
        resolve(0);
      });
    };
  });
  if (signalled) {
    onSignal();
    return stopped;
  }
  io.out(t.t('serve.ready', { url: server.url }));
  io.out(t.t('serve.stop'));
  if (!existsSync(join(root, 'dist', 'web', 'index.html'))) io.err(t.t('serve.no-web'));
  if (canOpenBrowser(opts.open)) openBrowser(server.url, () => io.err(t.t('serve.open-failed')));
  return stopped;
}
