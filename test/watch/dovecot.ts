import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const DOVECOT = '/usr/sbin/dovecot';
export const USER = 'alice';
export const PASSWORD = 'secret123';

/** Dovecot is needed: in CI its absence fails the run; elsewhere the tests say why they are skipped. */
export function dovecotMissing(): string | null {
  if (existsSync(DOVECOT)) return null;
  const why = `${DOVECOT} is missing (apt-get install -y --no-install-recommends dovecot-imapd)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${why}`);
  return why;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listening(port: number, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`dovecot did not listen on ${port}`);
    await sleep(30);
  }
}

/** A real Dovecot on 127.0.0.1, as nobody when run as root; stopped by its PID. */
export class Dovecot {
  readonly dir: string;
  port = 0;
  /** The imaps port, when started with TLS. */
  tlsPort = 0;
  /** The self-signed certificate (PEM) a client must trust, when started with TLS. */
  ca = '';
  private proc: ChildProcess | null = null;
  private readonly root = process.getuid?.() === 0;

  constructor(private readonly withTls = false) {
    this.dir = mkdtempSync(join(tmpdir(), 'mamori-dovecot-'));
  }

  /** A self-signed certificate for 127.0.0.1 (openssl), made once per server. */
  private makeCert(): void {
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(this.dir, 'key.pem'),
        '-out',
        join(this.dir, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    this.ca = readFileSync(join(this.dir, 'cert.pem'), 'utf8');
  }

  get maildir(): string {
    return join(this.dir, 'mail', USER, 'Maildir');
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    if (this.withTls && !this.tlsPort) {
      this.tlsPort = await freePort();
      this.makeCert();
    }
    const d = this.dir;
    const ssl = this.withTls ? `ssl = yes\nssl_cert = <${d}/cert.pem\nssl_key = <${d}/key.pem` : 'ssl = no';
    const who = this.root
      ? { user: 'nobody', group: 'nogroup' }
      : {
          user: userInfo().username,
          group: spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim(),
        };
    for (const sub of ['run', 'state', 'mail']) mkdirSync(join(d, sub), { recursive: true });
    writeFileSync(join(d, 'users'), `${USER}:{PLAIN}${PASSWORD}\n`);
    writeFileSync(
      join(d, 'dovecot.conf'),
      `protocols = imap
listen = 127.0.0.1
base_dir = ${d}/run
state_dir = ${d}/state
log_path = ${d}/dovecot.log
instance_name = mamori-test-${this.port}
${ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.user}
default_internal_group = ${who.group}
default_login_user = ${who.user}
mail_location = maildir:${d}/mail/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${d}/users
}
userdb {
  driver = static
  args = uid=${who.user} gid=${who.group} home=${d}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${this.tlsPort}
  }
  chroot =
}
service anvil {
  chroot =
}
`,
    );
    if (this.root) spawnSync('chown', ['-R', 'nobody:nogroup', d]);
    const args = ['-F', '-c', join(d, 'dovecot.conf')];
    this.proc = this.root
      ? spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', DOVECOT, ...args], {
          stdio: 'ignore',
        })
      : spawn(DOVECOT, args, { stdio: 'ignore' });
    await listening(this.port);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
    // Its children leave with it; the socket is free once the master is gone.
    await sleep(100);
  }

  /** Forgets the mailbox's UIDs: the next start gives a new UIDVALIDITY and new UIDs for the same mails. */
  resetUids(): void {
    rmSync(join(this.maildir, 'dovecot-uidlist'), { force: true });
    rmSync(join(this.maildir, 'dovecot-uidvalidity'), { force: true });
    for (const f of ['dovecot.index', 'dovecot.index.cache', 'dovecot.index.log'])
      rmSync(join(this.maildir, f), { force: true });
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Owned by the server's user, so a test that writes into the Maildir leaves files it can read. */
  chownAll(): void {
    if (this.root) chownSync(this.dir, 65534, 65534);
  }
}

/** A TCP relay in front of the server that the test can cut, as a server or a network dropping the line. */
export class Relay {
  port = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const up = connect(this.target, '127.0.0.1');
      this.sockets.add(client).add(up);
      const drop = () => {
        client.destroy();
        up.destroy();
        this.sockets.delete(client);
        this.sockets.delete(up);
      };
      client.on('error', drop).on('close', drop);
      up.on('error', drop).on('close', drop);
      client.pipe(up).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  get connections(): number {
    return this.sockets.size / 2;
  }

  cut(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
