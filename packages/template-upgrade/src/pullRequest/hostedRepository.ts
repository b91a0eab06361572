import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';

/** A repository on a GitHub or GitLab host that Backstage's integrations configure. */
export interface HostedRepository {
  /** Which integration serves it. */
  readonly kind: 'github' | 'gitlab';
  /** The integration's host (`github.com`, `gitlab.example.com:8443`). */
  readonly host: string;
  /** GitHub: the owner; GitLab: the group path (`platform/services`). */
  readonly owner: string;
  /** The repository's (GitLab: project's) name. */
  readonly repo: string;
  /** The integration's REST API base URL (GitHub Enterprise, self-managed GitLab). */
  readonly apiBaseUrl: string;
  /** Where the host serves repositories over HTTP(S) (GitLab's `baseUrl`; GitHub: `https://<host>`). */
  readonly webBaseUrl: string;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

/**
 * Resolves a repository on a Git host to the integration that serves it,
 * from a scaffolder repo URL (`github.com?owner=acme&repo=orders`, GitLab
 * owners may be nested groups) or a web URL such as an entity's
 * `backstage.io/source-location` (`https://github.com/acme/orders/tree/main/`,
 * `https://gitlab.example.com/platform/orders/-/tree/main/`). Only hosts
 * with a GitHub or GitLab integration are accepted: tokens go nowhere else.
 */
export function resolveHostedRepository(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
): HostedRepository {
  const quoted = JSON.stringify(repoUrl);
  let parsed: URL;
  try {
    parsed = new URL(
      /^[a-z]+:\/\//i.test(repoUrl) ? repoUrl : `https://${repoUrl}`,
    );
  } catch {
    throw new InputError(
      `${quoted} is not a repository URL such as github.com?owner=acme&repo=orders`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new InputError(
      `The repository URL must not carry credentials; they come from the integration`,
    );
  }
  const github = integrations.github.byHost(parsed.host);
  const gitlab = integrations.gitlab.byHost(parsed.host);
  if (!github && !gitlab) {
    throw new InputError(
      `No GitHub or GitLab integration for host ${parsed.host} (integrations.github / integrations.gitlab in app-config)`,
    );
  }
  let owner = parsed.searchParams.get('owner') ?? undefined;
  let repo = parsed.searchParams.get('repo') ?? undefined;
  if (!repo) {
    // GitHub: /<owner>/<repo>[/tree/…]; GitLab: /<group>/…/<project>[/-/…].
    let path = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
    if (gitlab) path = path.split('/-/')[0];
    const parts = path.replace(/\.git$/, '').split('/');
    if (github) {
      [owner, repo] = parts;
    } else {
      repo = parts.pop();
      owner = parts.join('/');
    }
  }
  const ownerParts = (owner ?? '').split('/');
  if (
    !owner ||
    !repo ||
    !SEGMENT.test(repo) ||
    !ownerParts.every(part => SEGMENT.test(part)) ||
    (github && ownerParts.length > 1)
  ) {
    throw new InputError(
      `${quoted} names no repository: give host?owner=…&repo=… (GitLab owners may be group/subgroup)`,
    );
  }
  if (github) {
    const config = github.config;
    if (!config.apiBaseUrl) {
      throw new InputError(
        `The GitHub integration for ${parsed.host} has no apiBaseUrl`,
      );
    }
    return {
      kind: 'github',
      host: config.host,
      owner,
      repo,
      apiBaseUrl: config.apiBaseUrl,
      webBaseUrl: `https://${config.host}`,
    };
  }
  const config = gitlab!.config;
  return {
    kind: 'gitlab',
    host: config.host,
    owner,
    repo,
    apiBaseUrl: config.apiBaseUrl,
    webBaseUrl: config.baseUrl,
  };
}

/** `GitHub at github.com`: how errors name the host. */
export function hostLabel(repository: HostedRepository): string {
  return `${repository.kind === 'github' ? 'GitHub' : 'GitLab'} at ${
    repository.host
  }`;
}
