// Tripwire: tests never reach the network. Any DNS look-up, or any socket to somewhere other than the
// loopback interface or a local socket file, throws. Loaded by vitest (setupFiles) and, through
// NODE_OPTIONS=--import, by every CLI process a test spawns.
import dns from 'node:dns';
import net from 'node:net';

const LOCAL = new Set(['127.0.0.1', '::1', 'localhost', undefined, null, '']);

function deny(what) {
  throw new Error(`network tripwire: ${what} is not allowed in tests (inject a resolver or use 127.0.0.1)`);
}

for (const name of [
  'lookup',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveTxt',
  'resolveMx',
  'resolveCname',
  'resolveNs',
  'reverse',
]) {
  const original = dns[name];
  if (typeof original !== 'function') continue;
  dns[name] = function guarded(host, ...rest) {
    if (name === 'lookup' && LOCAL.has(host)) return original.call(this, host, ...rest);
    deny(`dns.${name}(${String(host)})`);
  };
  if (dns.promises && typeof dns.promises[name] === 'function') {
    const p = dns.promises[name];
    dns.promises[name] = async function guarded(host, ...rest) {
      if (name === 'lookup' && LOCAL.has(host)) return p.call(this, host, ...rest);
      deny(`dns.promises.${name}(${String(host)})`);
    };
  }
}
if (dns.Resolver) {
  for (const name of Object.getOwnPropertyNames(dns.Resolver.prototype)) {
    if (name.startsWith('resolve') || name === 'reverse') {
      dns.Resolver.prototype[name] = function guarded(host) {
        deny(`Resolver.${name}(${String(host)})`);
      };
    }
  }
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(...args) {
  const first = args[0];
  let host;
  let path;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const opts = Array.isArray(first) ? first[0] : first;
    host = opts.host;
    path = opts.path;
  } else if (typeof first === 'string' && Number.isNaN(Number(first))) {
    path = first;
  } else {
    host = args[1];
  }
  if (!path && !LOCAL.has(host)) deny(`a socket to ${String(host)}`);
  return connect.apply(this, args);
};
