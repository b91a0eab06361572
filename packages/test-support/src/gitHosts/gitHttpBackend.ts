import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request paths git's smart HTTP protocol uses below a repository. */
export const GIT_SMART_PATH =
  /^(.+?\.git)\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/**
 * Answers one smart-HTTP request with `git http-backend` run as a CGI
 * program, so clients talk to real git. `repository` is the repository's
 * path below `projectRoot` (e.g. `acme/orders.git`); `remoteUser` set
 * enables pushes (http-backend allows receive-pack only for an
 * authenticated user). Hooks of the served repositories never run.
 */
export function serveGitHttp(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    projectRoot: string;
    repository: string;
    service: string;
    remoteUser?: string;
  },
): void {
  const query = (req.url ?? '').split('?')[1] ?? '';
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value ?? '';
  };
  const child = spawn(
    'git',
    ['-c', 'core.hooksPath=/dev/null', 'http-backend'],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: options.projectRoot,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${options.repository}/${options.service}`,
        REQUEST_METHOD: req.method ?? 'GET',
        QUERY_STRING: query,
        CONTENT_TYPE: header('content-type'),
        ...(req.headers['content-length']
          ? { CONTENT_LENGTH: header('content-length') }
          : {}),
        HTTP_CONTENT_ENCODING: header('content-encoding'),
        HTTP_GIT_PROTOCOL: header('git-protocol'),
        REMOTE_ADDR: '127.0.0.1',
        ...(options.remoteUser ? { REMOTE_USER: options.remoteUser } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });

  // CGI output: headers, a blank line, then the body.
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf >= 0 ? crlf : lf;
    if (end < 0) return;
    const body = head.subarray(end + (crlf >= 0 ? 4 : 2));
    let status = 200;
    for (const line of head.subarray(0, end).toString().split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    headersSent = true;
    res.write(body);
  });
  child.on('close', code => {
    if (!headersSent) {
      res.statusCode = 500;
      res.end(`git http-backend failed (${code}): ${stderr}`);
      return;
    }
    res.end();
  });
}
