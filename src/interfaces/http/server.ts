import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Knowledge } from '#core/knowledge/compile.ts';
import type { Store } from '#core/ports/store.ts';
import { translator, type Lang } from '#interfaces/i18n.ts';
import { createApp } from './app.ts';

export interface ServerOptions {
  store: Store;
  knowledge: Knowledge;
  lang: Lang;
  /** 0 (the default): a free port. */
  port?: number;
  webRoot: string | null;
  version: string;
  maxBody?: number;
  alertPollMs?: number;
}

export interface RunningServer {
  origin: string;
  /** The URL to open once: it carries the token. */
  url: string;
  token: string;
  port: number;
  /** Stops listening and ends every open connection (the alert streams too). The store is the caller's. */
  close(): Promise<void>;
}

/** The port asked for is taken (or not ours to use). */
export class PortError extends Error {
  constructor(
    readonly port: number,
    readonly reason: string,
  ) {
    super(`port ${port}: ${reason}`);
  }
}

const secret = () => randomBytes(32).toString('base64url');

/** Serves the app and its API on 127.0.0.1 only, with secrets new for this launch. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = secret();
  let port = 0;
  const app = createApp({
    store: opts.store,
    token,
    session: secret(),
    csrf: secret(),
    port: () => port,
    lang: opts.lang,
    translators: { ja: translator(opts.knowledge, 'ja'), en: translator(opts.knowledge, 'en') },
    webRoot: opts.webRoot,
    version: opts.version,
    ...(opts.maxBody !== undefined ? { maxBody: opts.maxBody } : {}),
    ...(opts.alertPollMs !== undefined ? { alertPollMs: opts.alertPollMs } : {}),
  });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 });
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new PortError(opts.port ?? 0, e.code ?? 'error')),
    );
    server.once('listening', () => {
      port = (server.address() as AddressInfo).port;
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        origin,
        url: `${origin}/?token=${token}`,
        token,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
