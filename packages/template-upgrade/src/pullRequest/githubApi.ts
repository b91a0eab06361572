import { HostApi, HostApiError, PullRequestRef, callHostApi } from './hostApi';
import type { HostedRepository } from './hostedRepository';
import type { HostToken } from './hostCredentials';

type Pull = { html_url: string; number: number };

/**
 * GitHub's REST API (github.com or GitHub Enterprise Server: the
 * integration's `apiBaseUrl`) for pull-request delivery:
 * `GET /repos/{owner}/{repo}`, `GET` and `POST /repos/{owner}/{repo}/pulls`.
 */
export function githubApi(
  repository: HostedRepository,
  token: HostToken,
): HostApi {
  const auth = {
    token,
    headers: {
      Authorization: `Bearer ${token.token}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
    },
  };
  const repo = `/repos/${encodeURIComponent(
    repository.owner,
  )}/${encodeURIComponent(repository.repo)}`;
  const name = `${repository.owner}/${repository.repo}`;
  const ref = (pull: Pull): PullRequestRef => ({
    url: pull.html_url,
    number: pull.number,
  });

  const findOpen = async (head: string, base: string) => {
    const query = new URLSearchParams({
      head: `${repository.owner}:${head}`,
      base,
      state: 'open',
    });
    const pulls = await callHostApi<Pull[]>(repository, auth, {
      method: 'GET',
      path: `${repo}/pulls?${query}`,
      what: `list the pull requests of ${name}`,
    });
    return pulls.length > 0 ? ref(pulls[0]) : undefined;
  };

  return {
    async repository() {
      const info = await callHostApi<{
        clone_url: string;
        default_branch: string;
      }>(repository, auth, {
        method: 'GET',
        path: repo,
        what: `read the repository ${name}`,
      });
      return { cloneUrl: info.clone_url, defaultBranch: info.default_branch };
    },
    findOpen,
    async open({ title, body, head, base }) {
      try {
        return ref(
          await callHostApi<Pull>(repository, auth, {
            method: 'POST',
            path: `${repo}/pulls`,
            body: { title, body, head, base, maintainer_can_modify: false },
            what: `open a pull request from ${head} in ${name}`,
          }),
        );
      } catch (error) {
        // 422 "A pull request already exists": another run opened it.
        if (error instanceof HostApiError && error.status === 422) {
          const existing = await findOpen(head, base);
          if (existing) return existing;
        }
        throw error;
      }
    },
  };
}
