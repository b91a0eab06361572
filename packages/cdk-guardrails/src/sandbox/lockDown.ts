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

/** Options of {@link lockDown}. */
export interface LockDownOptions {
  /**
   * TCP destinations sandboxed code may still connect to, by the host name
   * or address it gives and the port (e.g. a preview's local engines).
   * Connections go through `net`/`http` only; DNS answers only these hosts.
   *
   * @default - none: no network at all
   */
  readonly allowConnections?: readonly { host: string; port: number }[];
}

/** The host and port a `Socket#connect` call asks for (undefined: a path). */
function destinationOf(
  args: unknown[],
): { host: string; port: number } | undefined {
  // net.connect passes its normalized arguments as one array.
  const list = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const first = list[0];
  if (first && typeof first === 'object') {
    const o = first as {
      host?: unknown;
      port?: unknown;
      path?: unknown;
      lookup?: unknown;
    };
    if (typeof o.path === 'string' && o.path !== '') return undefined;
    // A lookup of the caller's own could send an allowed name anywhere.
    if (o.lookup !== undefined && o.lookup !== null) return undefined;
    return { host: String(o.host ?? 'localhost'), port: Number(o.port) };
  }
  if (typeof first === 'number' || /^\d+$/.test(String(first))) {
    return {
      host: typeof list[1] === 'string' ? list[1] : 'localhost',
      port: Number(first),
    };
  }
  return undefined;
}

/**
 * Closes what Node's permission model (Node 20–24) leaves open, before any
 * job code runs: the network (sockets, DNS, fetch) but for the destinations
 * `options.allowConnections` names, signals to other processes, other
 * processes' priorities and, on Node 20, WASI. The permission model is the
 * boundary for the file system, child processes and workers; this is
 * defence in depth for the rest, in the same realm, by replacing the entry
 * points: job code never sees the originals.
 */
export function lockDown(options: LockDownOptions = {}): void {
  const allowed = options.allowConnections ?? [];
  if (allowed.length === 0) {
    net.Socket.prototype.connect = denied('network access') as never;
    (net as { connect: unknown }).connect = denied('network access');
    (net as { createConnection: unknown }).createConnection =
      denied('network access');
  } else {
    const connect = net.Socket.prototype.connect;
    const refuse = denied('network access');
    net.Socket.prototype.connect = function checkedConnect(
      this: net.Socket,
      ...args: unknown[]
    ) {
      const to = destinationOf(args);
      if (!to || !allowed.some(a => a.host === to.host && a.port === to.port)) {
        refuse();
      }
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as never;
  }
  net.Server.prototype.listen = denied('listening on a socket') as never;
  (tls as { connect: unknown }).connect = denied('network access');
  (http2 as { connect: unknown }).connect = denied('network access');
  (dgram as { createSocket: unknown }).createSocket = denied('network access');
  const lookup = dns.lookup;
  denyFunctions(dns, 'DNS');
  denyFunctions(dns.promises, 'DNS');
  denyFunctions(dns.Resolver.prototype, 'DNS');
  denyFunctions(dns.promises.Resolver.prototype, 'DNS');
  if (allowed.length > 0) {
    const refuse = denied('DNS (lookup)');
    (dns as { lookup: unknown }).lookup = function checkedLookup(
      hostname: string,
      ...rest: unknown[]
    ) {
      if (!allowed.some(a => a.host === hostname)) refuse();
      return (lookup as (...a: unknown[]) => void)(hostname, ...rest);
    };
  }
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
  // A path no sandbox is given: Node 20 answers true for '/' itself when
  // allowed paths start in different top-level directories.
  const anywhere = '/stackyard-permission-probe';
  if (
    permission.has('fs.write', anywhere) ||
    permission.has('fs.read', anywhere)
  ) {
    return 'the whole file system is accessible';
  }
  if (!permission.has('fs.write', dir)) {
    return 'the sandbox cannot write its own directory';
  }
  return undefined;
}
