import {
  ApiRequest,
  ApiResponse,
  LoopbackGitHost,
  LoopbackGitHostOptions,
} from './LoopbackGitHost';

/** A pull request on the loopback GitHub. */
export interface LoopbackPullRequest {
  number: number;
  /** `<owner>/<repo>`. */
  repository: string;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  html_url: string;
}

const notFound = (): ApiResponse => ({
  status: 404,
  body: { message: 'Not Found' },
});

const invalid = (error: Record<string, string>): ApiResponse => ({
  status: 422,
  body: { message: 'Validation Failed', errors: [error] },
});

/**
 * A loopback GitHub (or GitHub Enterprise Server: the REST API below
 * `/api/v3`) for tests: repositories over git's smart HTTP protocol
 * (`<url>/<owner>/<repo>.git`, basic auth with the token as password) and
 * the REST calls pull-request delivery makes — `GET /repos/{owner}/{repo}`,
 * `GET` and `POST /repos/{owner}/{repo}/pulls` — authenticated by
 * `Authorization: Bearer|token <token>`, answering errors in GitHub's shape
 * (401 "Bad credentials", 403 for a read-only token writing, 422
 * "Validation Failed" for a missing branch or a pull request that already
 * exists).
 */
export class LoopbackGitHub extends LoopbackGitHost {
  /** Every pull request, in order of creation. */
  readonly pulls: LoopbackPullRequest[] = [];
  /**
   * Where `GET /repos/{owner}/{repo}` says the repository is cloned from;
   * default: this host. Set it to another host to play an API that points
   * git elsewhere.
   */
  cloneBaseUrl?: string;

  private constructor(options: LoopbackGitHostOptions) {
    super(options, '/api/v3');
  }

  /** Starts a loopback GitHub on a free port. */
  static async start(
    options: LoopbackGitHostOptions = {},
  ): Promise<LoopbackGitHub> {
    const github = new LoopbackGitHub(options);
    await github.listen();
    return github;
  }

  /** Integration config for `integrations.github` in app-config. */
  integrationConfig(token: string) {
    return { host: this.host, apiBaseUrl: this.apiBaseUrl, token };
  }

  protected refusal(status: 401 | 403) {
    return status === 401
      ? {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        }
      : {
          message: 'Resource not accessible by personal access token',
          documentation_url: 'https://docs.github.com/rest',
        };
  }

  protected async api(request: ApiRequest): Promise<ApiResponse> {
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/pulls)?$/.exec(request.path);
    if (!match) return notFound();
    const [owner, repo] = [match[1], match[2]].map(decodeURIComponent);
    const repository = `${owner}/${repo}`;
    if (!this.hasRepository(repository)) return notFound();
    if (!match[3] && request.method === 'GET') {
      return {
        status: 200,
        body: {
          full_name: repository,
          default_branch: this.defaultBranch(repository),
          clone_url: `${this.cloneBaseUrl ?? this.url}/${repository}.git`,
          html_url: `${this.url}/${repository}`,
        },
      };
    }
    if (match[3] && request.method === 'GET') {
      const { query } = request;
      const state = query.get('state') ?? 'open';
      return {
        status: 200,
        body: this.pulls.filter(
          p =>
            p.repository === repository &&
            (state === 'all' || p.state === state) &&
            (!query.has('head') ||
              `${owner}:${p.head}` === query.get('head')) &&
            (!query.has('base') || p.base === query.get('base')),
        ),
      };
    }
    if (match[3] && request.method === 'POST') {
      const { title, head, base, body } = request.body;
      if (typeof title !== 'string' || typeof head !== 'string') {
        return invalid({ resource: 'PullRequest', code: 'missing_field' });
      }
      const baseBranch =
        typeof base === 'string' ? base : this.defaultBranch(repository);
      for (const [field, branch] of [
        ['head', head],
        ['base', baseBranch],
      ]) {
        if (!this.branchCommit(repository, branch)) {
          return invalid({ resource: 'PullRequest', field, code: 'invalid' });
        }
      }
      if (
        this.pulls.some(
          p =>
            p.repository === repository &&
            p.head === head &&
            p.state === 'open',
        )
      ) {
        return invalid({
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${owner}:${head}.`,
        });
      }
      const number = this.pulls.length + 1;
      const pull: LoopbackPullRequest = {
        number,
        repository,
        title,
        body: typeof body === 'string' ? body : '',
        head,
        base: baseBranch,
        state: 'open',
        html_url: `${this.url}/${repository}/pull/${number}`,
      };
      this.pulls.push(pull);
      return { status: 201, body: pull };
    }
    return notFound();
  }
}
