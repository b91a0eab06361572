/* eslint-disable no-restricted-imports */
// Default imports: the modules themselves. A bundled namespace import is a
// frozen copy (the built package's dist/), so replacing its functions would
// throw, and would not reach the module that job code requires.
import dgram from 'dgram';
import dns from 'dns';
import http2 from 'http2';
import net from 'net';
import os from 'os';
import tls from 'tls';

function denied(what: string) {
  return function deny(): never {
    const error = new Error(`${what} is not allowed in the sandbox`);
    (error as { code?: string }).code = 'ERR_ACCESS_DENIED';
    throw error;
  };
}

function denyFunctions(target: object, what: string) {
  for (const key of Object.keys(target)) {
    if (typeof (target as Record<string, unknown>)[key] === 'function') {
      (target as Record<string, unknown>)[key] = denied(`${what} (${key})`);
    }
  }
}

/**
 * Closes what Node's permission model (Node 20–24) leaves open, before any
 * job code runs: the network (sockets, DNS, fetch), signals to other
 * processes, other processes' priorities and, on Node 20, WASI. The
 * permission model is the boundary for the file system, child processes and
 * workers; this is defence in depth for the rest, in the same realm, by
 * replacing the entry points: job code never sees the originals.
 */
export function lockDown(): void {
  net.Socket.prototype.connect = denied('network access') as never;
  net.Server.prototype.listen = denied('listening on a socket') as never;
  (net as { connect: unknown }).connect = denied('network access');
  (net as { createConnection: unknown }).createConnection =
    denied('network access');
  (tls as { connect: unknown }).connect = denied('network access');
  (http2 as { connect: unknown }).connect = denied('network access');
  (dgram as { createSocket: unknown }).createSocket = denied('network access');
  denyFunctions(dns, 'DNS');
  denyFunctions(dns.promises, 'DNS');
  denyFunctions(dns.Resolver.prototype, 'DNS');
  denyFunctions(dns.promises.Resolver.prototype, 'DNS');
  const g = globalThis as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    if (name in g) g[name] = denied(`network access (${name})`);
  }
  process.kill = denied('signalling processes') as never;
  (process as unknown as { _kill: unknown })._kill = denied(
    'signalling processes',
  );
  (os as { setPriority: unknown }).setPriority = denied(
    'changing process priorities',
  );
  try {
    // Node 20's permission model does not cover WASI (Node 22 denies it).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('wasi') as { WASI: unknown }).WASI = denied('WASI');
  } catch {
    // no WASI in this Node
  }
}

/**
 * Why the permission model is not in effect as the pool asked, or undefined
 * when it is: the sandbox refuses to run jobs otherwise.
 */
export function permissionProblem(dir: string): string | undefined {
  const permission = (
    process as { permission?: { has(scope: string, ref?: string): boolean } }
  ).permission;
  if (!permission) {
    return "Node's permission model is not enabled";
  }
  if (permission.has('child') || permission.has('worker')) {
    return 'child processes or worker threads are allowed';
  }
  if (permission.has('fs.write', '/') || permission.has('fs.read', '/')) {
    return 'the whole file system is accessible';
  }
  if (!permission.has('fs.write', dir)) {
    return 'the sandbox cannot write its own directory';
  }
  return undefined;
}
