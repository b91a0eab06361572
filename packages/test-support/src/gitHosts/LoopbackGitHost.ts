import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GIT_SMART_PATH, serveGitHttp } from './gitHttpBackend';

/**
 * What a token may do on a loopback Git host: `read` clones and reads the
 * API; `push` also pushes, but API writes (opening a pull request) are
 * refused, as for a token with repository contents but no pull-request
 * rights; `write` does everything.
 */
export type LoopbackTokenScope = 'read' | 'push' | 'write';

/** Options of a loopback Git host. */
export interface LoopbackGitHostOptions {
  /** Tokens the host accepts and what each may do. @default none: every call is 401 */
  tokens?: Record<string, LoopbackTokenScope>;
}

/** One request as the host saw it (no credentials recorded). */
export interface LoopbackGitHostCall {
  method: string;
  /** Path and query. */
  path: string;
  status: number;
}

/** An API request after authentication. */
export interface ApiRequest {
  method: string;
  /** The path below the API prefix, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  scope: LoopbackTokenScope;
}

/** An API answer. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

const run = (args: string[], cwd?: string) =>
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
    },
    encoding: 'utf8',
  }).trim();

/**
 * What the loopback GitHub and GitLab share: an HTTP server on 127.0.0.1
 * serving bare repositories over git's smart HTTP protocol (real git, see
 * {@link serveGitHttp}) with HTTP basic authentication by token, and a JSON
 * REST API below {@link apiPrefix} answered by the subclass. Repositories
 * live in a temporary folder removed by {@link close}.
 */
export abstract class LoopbackGitHost {
  /** Every request, in order. */
  readonly calls: LoopbackGitHostCall[] = [];
  /** `http://127.0.0.1:<port>`, set once started. */
  url = '';
  protected readonly root = mkdtempSync(join(tmpdir(), 'loopback-git-host-'));
  private server?: http.Server;

  protected constructor(
    protected readonly options: LoopbackGitHostOptions,
    /** Where the REST API is, e.g. `/api/v3`. */
    readonly apiPrefix: string,
  ) {}

  /** `127.0.0.1:<port>`: the host an integration config names. */
  get host(): string {
    return new URL(this.url).host;
  }

  /** The REST API's base URL (an integration's `apiBaseUrl`). */
  get apiBaseUrl(): string {
    return `${this.url}${this.apiPrefix}`;
  }

  protected async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      res.on('finish', () =>
        this.calls.push({
          method: req.method ?? 'GET',
          path: req.url ?? '',
          status: res.statusCode,
        }),
      );
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end(String(error));
        }
      });
    });
    await new Promise<void>(done =>
      this.server!.listen(0, '127.0.0.1', () => done()),
    );
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
  }

  /** Stops the server and removes the repositories. */
  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise(done => this.server?.close(done) ?? done(undefined));
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * Creates the repository `path` (e.g. `acme/orders`) as a bare copy of
   * the local repository `from` (every branch, its HEAD as the default
   * branch), or empty.
   */
  createRepository(path: string, from?: string): void {
    const dir = this.repositoryDir(path);
    mkdirSync(dirname(dir), { recursive: true });
    if (from) run(['clone', '--quiet', '--bare', '--', from, dir]);
    else run(['init', '--quiet', '--bare', dir]);
  }

  /** The bare repository's folder, to inspect with git. */
  repositoryDir(path: string): string {
    return join(this.root, `${path}.git`);
  }

  /** Whether the repository exists. */
  protected hasRepository(path: string): boolean {
    try {
      run(['rev-parse', '--git-dir'], this.repositoryDir(path));
      return true;
    } catch {
      return false;
    }
  }

  /** The commit a branch of the repository points at; undefined when it has none such. */
  branchCommit(path: string, branch: string): string | undefined {
    try {
      return run(
        ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
        this.repositoryDir(path),
      );
    } catch {
      return undefined;
    }
  }

  /** The repository's default branch (its HEAD). */
  defaultBranch(path: string): string {
    return run(['symbolic-ref', '--short', 'HEAD'], this.repositoryDir(path));
  }

  /** The scope of the token a request's credentials carry, if any. */
  private scopeOf(token: string | undefined): LoopbackTokenScope | undefined {
    return token === undefined ? undefined : this.options.tokens?.[token];
  }

  /** The token of an API request (`Authorization: Bearer|token …`, or the subclass's header). */
  protected apiToken(req: http.IncomingMessage): string | undefined {
    const match = /^(?:Bearer|token)\s+(.+)$/i.exec(
      req.headers.authorization ?? '',
    );
    return match?.[1];
  }

  /** The API's refusal of missing or bad credentials, and of a read-only token writing. */
  protected abstract refusal(status: 401 | 403): unknown;

  /** Answers an authenticated API request. */
  protected abstract api(request: ApiRequest): Promise<ApiResponse>;

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const [path] = (req.url ?? '/').split('?');
    const git = GIT_SMART_PATH.exec(path.slice(1));
    if (git) {
      this.serveGit(req, res, git[1], git[2]);
      return;
    }
    if (!path.startsWith(`${this.apiPrefix}/`)) {
      send(res, 404, { message: 'Not Found' });
      return;
    }
    const scope = this.scopeOf(this.apiToken(req));
    if (!scope) {
      send(res, 401, this.refusal(401));
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && scope !== 'write') {
      send(res, 403, this.refusal(403));
      return;
    }
    const answer = await this.api({
      method,
      path: path.slice(this.apiPrefix.length),
      query: new URLSearchParams((req.url ?? '').split('?')[1] ?? ''),
      body: await readJson(req),
      scope,
    });
    send(res, answer.status, answer.body);
  }

  private serveGit(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    repository: string,
    service: string,
  ) {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const password = basic
      ? Buffer.from(basic[1], 'base64').toString().split(':').slice(1).join(':')
      : undefined;
    const scope = this.scopeOf(password);
    const pushing =
      service === 'git-receive-pack' ||
      new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get(
        'service',
      ) === 'git-receive-pack';
    if (!scope) {
      res.setHeader('WWW-Authenticate', 'Basic realm="loopback git host"');
      res.statusCode = 401;
      res.end('Authentication required');
      return;
    }
    if (pushing && scope === 'read') {
      res.statusCode = 403;
      res.end('This token may not push');
      return;
    }
    if (
      repository.split('/').some(part => part.startsWith('.')) ||
      !this.hasRepository(repository.replace(/\.git$/, ''))
    ) {
      res.statusCode = 404;
      res.end('Repository not found');
      return;
    }
    serveGitHttp(req, res, {
      projectRoot: this.root,
      repository,
      service,
      remoteUser: pushing ? 'loopback' : undefined,
    });
  }
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

async function readJson(
  req: http.IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (!text) return {};
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}
