import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { HostedRepository, hostLabel } from './hostedRepository';
import type { HostToken } from './hostCredentials';

/** A pull request (GitHub) or merge request (GitLab). */
export interface PullRequestRef {
  /** Where people open it. */
  readonly url: string;
  /** GitHub's number, GitLab's iid. */
  readonly number: number;
}

/** The repository as its host describes it. */
export interface HostedRepositoryInfo {
  /** The HTTP(S) URL git clones and pushes. */
  readonly cloneUrl: string;
  readonly defaultBranch: string;
}

/** What pull-request delivery asks of a Git host's REST API. */
export interface HostApi {
  repository(): Promise<HostedRepositoryInfo>;
  /** The open pull request from `head` into `base`, if there is one. */
  findOpen(head: string, base: string): Promise<PullRequestRef | undefined>;
  /** Opens a pull request; one already open from `head` is returned instead. */
  open(request: {
    title: string;
    body: string;
    head: string;
    base: string;
  }): Promise<PullRequestRef>;
}

/** An answer of the API that was not a success. */
export class HostApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'HostApiError';
  }
}

/**
 * Calls the host's REST API with the token in the headers given; a
 * refusal becomes an error naming the host and what was asked (401/403:
 * NotAllowedError, 404: NotFoundError), with the host's own message and
 * never the token.
 */
export async function callHostApi<T>(
  repository: HostedRepository,
  auth: { headers: Record<string, string>; token: HostToken },
  request: {
    method: 'GET' | 'POST';
    path: string;
    body?: unknown;
    what: string;
  },
): Promise<T> {
  const url = `${repository.apiBaseUrl}${request.path}`;
  const label = hostLabel(repository);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        ...auth.headers,
        'User-Agent': 'stackyard-template-upgrade',
        ...(request.body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: request.body ? JSON.stringify(request.body) : undefined,
      redirect: 'error',
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new Error(
      auth.token.redact(
        `${label} could not be reached to ${request.what} (${
          repository.apiBaseUrl
        }): ${String((error as Error).cause ?? (error as Error).message)}`,
      ),
    );
  }
  const text = await response.text();
  if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
  const said = auth.token.redact(hostMessage(text)).slice(0, 300);
  const message = `${label} answered ${response.status} to ${request.what}${
    said ? `: ${said}` : ''
  }`;
  if (response.status === 401 || response.status === 403) {
    throw new NotAllowedError(
      `${message}. The integration's token is not accepted, or may not do this (a pull request needs reading and pushing the repository and opening pull requests)`,
    );
  }
  if (response.status === 404) {
    throw new NotFoundError(
      `${message} (the repository does not exist, or the integration's token cannot see it)`,
    );
  }
  throw new HostApiError(message, response.status);
}

/** The message in a GitHub or GitLab error body. */
function hostMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    const parts = [body.message, body.error, ...(body.errors ?? [])]
      .flat()
      .filter(Boolean)
      .map(p => (typeof p === 'string' ? p : p.message ?? JSON.stringify(p)));
    return parts.join('; ');
  } catch {
    return text.trim();
  }
}
