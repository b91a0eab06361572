import { HostApi, HostApiError, PullRequestRef, callHostApi } from './hostApi';
import type { HostedRepository } from './hostedRepository';
import type { HostToken } from './hostCredentials';

type MergeRequest = { web_url: string; iid: number };

/**
 * GitLab's REST API (gitlab.com or self-managed: the integration's
 * `apiBaseUrl`) for merge-request delivery: `GET /projects/:id`, `GET` and
 * `POST /projects/:id/merge_requests`, `:id` being the project's
 * URL-encoded path.
 */
export function gitlabApi(
  repository: HostedRepository,
  token: HostToken,
): HostApi {
  const auth = {
    token,
    headers: { Authorization: `Bearer ${token.token}` },
  };
  const name = `${repository.owner}/${repository.repo}`;
  const project = `/projects/${encodeURIComponent(name)}`;
  const ref = (mr: MergeRequest): PullRequestRef => ({
    url: mr.web_url,
    number: mr.iid,
  });

  const findOpen = async (head: string, base: string) => {
    const query = new URLSearchParams({
      source_branch: head,
      target_branch: base,
      state: 'opened',
    });
    const found = await callHostApi<MergeRequest[]>(repository, auth, {
      method: 'GET',
      path: `${project}/merge_requests?${query}`,
      what: `list the merge requests of ${name}`,
    });
    return found.length > 0 ? ref(found[0]) : undefined;
  };

  return {
    async repository() {
      const info = await callHostApi<{
        http_url_to_repo: string;
        default_branch: string;
      }>(repository, auth, {
        method: 'GET',
        path: project,
        what: `read the project ${name}`,
      });
      return {
        cloneUrl: info.http_url_to_repo,
        defaultBranch: info.default_branch,
      };
    },
    findOpen,
    async open({ title, body, head, base }) {
      try {
        return ref(
          await callHostApi<MergeRequest>(repository, auth, {
            method: 'POST',
            path: `${project}/merge_requests`,
            body: {
              title,
              description: body,
              source_branch: head,
              target_branch: base,
              remove_source_branch: false,
            },
            what: `open a merge request from ${head} in ${name}`,
          }),
        );
      } catch (error) {
        // 409 "Another open merge request already exists": return that one.
        if (error instanceof HostApiError && error.status === 409) {
          const existing = await findOpen(head, base);
          if (existing) return existing;
        }
        throw error;
      }
    },
  };
}
