import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '#core/store/memory-store.ts';
import { canOpenBrowser, parsePort } from '#interfaces/cli/serve-command.ts';
import { mamori } from '../helpers/cli.ts';
import { serve } from '../helpers/serve.ts';
import { inProcess } from './session.ts';

describe('mamori serve on the command line', () => {
  it('a bad --port is a usage error, in the language asked for', () => {
    const r = mamori(['serve', '--no-open', '--port', 'eighty']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('0 から 65535');
    expect(mamori(['serve', '--no-open', '--port', '70000', '--lang', 'en']).stderr).toContain('0 to 65535');
    expect(parsePort(undefined)).toBe(0);
    expect(parsePort('８０８０')).toBe(8080);
  });

  it('a port in use is said, and the command ends', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = mamori(['serve', '--no-open', '--port', String(port)], {
        env: { MAMORI_HOME: mkdtempSync(join(tmpdir(), 'mamori-')) },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`ポート ${port}`);
    } finally {
      busy.close();
    }
  });

  it('speaks English with --lang en, and the session says so', async () => {
    const s = await serve({ args: ['--lang', 'en'] });
    try {
      expect(s.output().stdout).toContain('open this address in your browser');
      const r = await fetch(s.url, { redirect: 'manual' });
      const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
      const session = (await (await fetch(`${s.origin}/api/session`, { headers: { cookie } })).json()) as {
        lang: string;
      };
      expect(session.lang).toBe('en');
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('opens a browser only where one can be shown', () => {
    expect(canOpenBrowser(false, { DISPLAY: ':0' })).toBe(false);
    expect(canOpenBrowser(true, { DISPLAY: ':0', CI: 'true' })).toBe(false);
    if (process.platform === 'linux') {
      expect(canOpenBrowser(true, {})).toBe(false);
      expect(canOpenBrowser(true, { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    }
  });
});

describe('the web app’s files', () => {
  const web = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(dir, 'manifest.webmanifest'), '{}');
    return dir;
  };
  const get = (origin: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(origin);
      request({ host: u.hostname, port: u.port, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });

  it('are served without the cookie, each with fitting cache headers; the service worker may control the app', async () => {
    const server = await inProcess(new MemoryStore(), { webRoot: web() });
    try {
      const index = await fetch(`${server.origin}/`);
      expect(await index.text()).toContain('id="root"');
      expect(index.headers.get('cache-control')).toBe('no-cache');
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
      const js = await fetch(`${server.origin}/assets/app.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect(js.headers.get('cache-control')).toContain('immutable');
      const sw = await fetch(`${server.origin}/sw.js`);
      expect(sw.headers.get('content-type')).toMatch(/javascript/);
      expect(sw.headers.get('cache-control')).toBe('no-cache');
      expect(sw.headers.get('service-worker-allowed')).toBe('/');
      expect((await fetch(`${server.origin}/manifest.webmanifest`)).headers.get('content-type')).toBe(
        'application/manifest+json',
      );
      // The app's own routes are its page; a missing file is not.
      expect(await (await fetch(`${server.origin}/check/mail`)).text()).toContain('id="root"');
      expect((await fetch(`${server.origin}/assets/missing.js`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('nothing outside dist/web is reachable', async () => {
    const root = web();
    writeFileSync(join(root, '..', 'secret.txt'), 'secret');
    const server = await inProcess(new MemoryStore(), { webRoot: root });
    try {
      for (const path of [
        '/../secret.txt',
        '/%2e%2e/secret.txt',
        '/..%2fsecret.txt',
        '/assets/..%2f..%2fsecret.txt',
        '/assets/%2e%2e/%2e%2e/secret.txt',
        '//etc/passwd',
      ]) {
        const r = await get(server.origin, path);
        expect(r.body, path).not.toContain('secret');
        expect(r.body, path).not.toContain('root:');
      }
    } finally {
      await server.close();
    }
  });
});
