import type { IncomingMessage } from 'node:http';
import {
  ApiRequest,
  ApiResponse,
  LoopbackGitHost,
  LoopbackGitHostOptions,
} from './LoopbackGitHost';

/** A merge request on the loopback GitLab. */
export interface LoopbackMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  /** The project's path, e.g. `platform/services/orders`. */
  project: string;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: 'opened' | 'closed' | 'merged';
  web_url: string;
}

/**
 * A loopback self-managed GitLab for tests: projects over git's smart HTTP
 * protocol (`<url>/<group>/…/<project>.git`, basic auth with the token as
 * password, any user name) and the REST calls merge-request delivery makes
 * below `/api/v4` — `GET /projects/:id`, `GET` and `POST
 * /projects/:id/merge_requests`, `:id` being the URL-encoded path or the
 * number — authenticated by `Authorization: Bearer <token>` or
 * `PRIVATE-TOKEN`, answering errors in GitLab's shape (401 "401
 * Unauthorized", 403 "403 Forbidden", 409 for a second open merge request
 * of one source branch).
 */
export class LoopbackGitLab extends LoopbackGitHost {
  /** Every merge request, in order of creation. */
  readonly mergeRequests: LoopbackMergeRequest[] = [];
  private readonly projectIds = new Map<string, number>();

  private constructor(options: LoopbackGitHostOptions) {
    super(options, '/api/v4');
  }

  /** Starts a loopback GitLab on a free port. */
  static async start(
    options: LoopbackGitHostOptions = {},
  ): Promise<LoopbackGitLab> {
    const gitlab = new LoopbackGitLab(options);
    await gitlab.listen();
    return gitlab;
  }

  /** Integration config for `integrations.gitlab` in app-config. */
  integrationConfig(token: string) {
    return {
      host: this.host,
      baseUrl: this.url,
      apiBaseUrl: this.apiBaseUrl,
      token,
    };
  }

  createRepository(path: string, from?: string): void {
    super.createRepository(path, from);
    this.projectIds.set(path, this.projectIds.size + 1);
  }

  protected apiToken(req: IncomingMessage): string | undefined {
    const header = req.headers['private-token'];
    return typeof header === 'string' ? header : super.apiToken(req);
  }

  protected refusal(status: 401 | 403) {
    return { message: status === 401 ? '401 Unauthorized' : '403 Forbidden' };
  }

  private projectOf(id: string): [string, number] | undefined {
    const decoded = decodeURIComponent(id);
    for (const [path, number] of this.projectIds) {
      if (path === decoded || String(number) === decoded) return [path, number];
    }
    return undefined;
  }

  protected async api(request: ApiRequest): Promise<ApiResponse> {
    const match = /^\/projects\/([^/]+)(\/merge_requests)?$/.exec(request.path);
    const project = match && this.projectOf(match[1]);
    if (!match || !project) {
      return { status: 404, body: { message: '404 Project Not Found' } };
    }
    const [path, projectId] = project;
    if (!match[2] && request.method === 'GET') {
      return {
        status: 200,
        body: {
          id: projectId,
          path_with_namespace: path,
          default_branch: this.defaultBranch(path),
          http_url_to_repo: `${this.url}/${path}.git`,
          web_url: `${this.url}/${path}`,
        },
      };
    }
    if (match[2] && request.method === 'GET') {
      const { query } = request;
      const state = query.get('state') ?? 'all';
      return {
        status: 200,
        body: this.mergeRequests.filter(
          mr =>
            mr.project === path &&
            (state === 'all' || mr.state === state) &&
            (!query.has('source_branch') ||
              mr.source_branch === query.get('source_branch')) &&
            (!query.has('target_branch') ||
              mr.target_branch === query.get('target_branch')),
        ),
      };
    }
    if (match[2] && request.method === 'POST') {
      const { title, source_branch, target_branch, description } = request.body;
      if (
        typeof title !== 'string' ||
        typeof source_branch !== 'string' ||
        typeof target_branch !== 'string'
      ) {
        return {
          status: 400,
          body: { error: 'title, source_branch, target_branch are missing' },
        };
      }
      for (const branch of [source_branch, target_branch]) {
        if (!this.branchCommit(path, branch)) {
          return {
            status: 404,
            body: { message: `404 Branch ${branch} Not Found` },
          };
        }
      }
      const open = this.mergeRequests.find(
        mr =>
          mr.project === path &&
          mr.source_branch === source_branch &&
          mr.state === 'opened',
      );
      if (open) {
        return {
          status: 409,
          body: {
            message: [
              `Another open merge request already exists for this source branch: !${open.iid}`,
            ],
          },
        };
      }
      const iid =
        this.mergeRequests.filter(mr => mr.project === path).length + 1;
      const mr: LoopbackMergeRequest = {
        id: this.mergeRequests.length + 1,
        iid,
        project_id: projectId,
        project: path,
        title,
        description: typeof description === 'string' ? description : '',
        source_branch,
        target_branch,
        state: 'opened',
        web_url: `${this.url}/${path}/-/merge_requests/${iid}`,
      };
      this.mergeRequests.push(mr);
      return { status: 201, body: mr };
    }
    return { status: 404, body: { message: '404 Not Found' } };
  }
}
