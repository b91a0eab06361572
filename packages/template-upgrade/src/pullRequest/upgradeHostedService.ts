import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { describeConflict } from '../conflicts';
import { git, GitError } from '../git';
import { PRISTINE_BRANCH, upgradeBranchName } from '../origin';
import type {
  UpgradeConflict,
  UpgradeResult,
  UpgradeServiceOptions,
  UpgradeStage,
  UpgradeSubject,
} from '../types';
import { compareVersions, upgradeService } from '../upgradeService';
import { githubApi } from './githubApi';
import { gitlabApi } from './gitlabApi';
import type { HostApi, PullRequestRef } from './hostApi';
import {
  HostCredentialsProviders,
  HostToken,
  gitAuthEnv,
  hostToken,
} from './hostCredentials';
import {
  HostedRepository,
  hostLabel,
  resolveHostedRepository,
} from './hostedRepository';
import { pullRequestBody, pullRequestTitle } from './pullRequestText';

/** Options of {@link upgradeHostedService}. */
export interface UpgradeHostedServiceOptions
  extends Omit<UpgradeServiceOptions, 'repoDir' | 'baseBranch'> {
  /**
   * The repository on GitHub or GitLab: `github.com?owner=acme&repo=orders`
   * (the scaffolder's form; GitLab owners may be `group/subgroup`) or its
   * web URL (`https://gitlab.example.com/platform/orders`).
   */
  readonly repoUrl: string;
  /** Backstage's integrations (`ScmIntegrations.fromConfig(config)`): hosts, API URLs, tokens. */
  readonly integrations: ScmIntegrationRegistry;
  /** Where tokens come from; default: the integrations' own providers (GitHub apps included). */
  readonly credentialsProviders?: HostCredentialsProviders;
}

/** What {@link upgradeHostedService} returns. */
export interface HostedUpgradeResult extends UpgradeResult {
  /** The pull request (GitHub) or merge request (GitLab) of the upgrade branch. */
  readonly pullRequest: PullRequestRef;
  /**
   * The upgrade branch was on the host already, from an earlier run: nothing
   * was rendered or pushed, its open pull request is returned (or opened).
   * Conflicts are then read from its merge commit; tests and policy are
   * `null` (not run again).
   */
  readonly reused: boolean;
}

/**
 * Upgrades a service whose repository is on GitHub or GitLab and opens a
 * pull (merge) request. Fetches the default branch and the `stackyard/*`
 * branches into a temporary bare repository over HTTPS with the
 * integration's token (as a header through git's environment, never in a
 * URL or argument), upgrades that with {@link upgradeService} (render,
 * three-way merge, tests, policy), pushes `stackyard/template` and
 * `stackyard/upgrade-<version>` to the host atomically and never forced —
 * the default branch is never pushed — and opens the pull request through
 * the host's REST API (the integration's `apiBaseUrl`), its text listing
 * conflicts file by file, the checks' outcome and the version change.
 * Run again while the upgrade branch is on the host, it returns that
 * branch's open pull request (opening one if there is none).
 */
export async function upgradeHostedService(
  options: UpgradeHostedServiceOptions,
): Promise<HostedUpgradeResult> {
  const { repoUrl, integrations, credentialsProviders, ...upgrade } = options;
  const repository = resolveHostedRepository(repoUrl, integrations);
  const label = hostLabel(repository);
  const name = `${repository.owner}/${repository.repo}`;
  const log: string[] = [];
  const say = (stage: UpgradeStage, message: string) => {
    log.push(message);
    options.onProgress?.({ stage, message });
  };

  const token = await hostToken(repository, integrations, credentialsProviders);
  const api =
    repository.kind === 'github'
      ? githubApi(repository, token)
      : gitlabApi(repository, token);
  const info = await api.repository();
  const cloneUrl = checkCloneUrl(repository, info.cloneUrl);
  const base = info.defaultBranch;
  if (base.startsWith('stackyard/')) {
    throw new InputError(
      `${name}'s default branch is ${base}, a branch upgrades write: refusing to upgrade it`,
    );
  }
  const hostGit = hostGitRunner(repository, cloneUrl, token);

  const scratch = mkdtempSync(join(tmpdir(), 'stackyard-hosted-upgrade-'));
  const mirror = join(scratch, 'mirror.git');
  try {
    const fetchStarted = Date.now();
    await git(['init', '--quiet', '--bare', mirror]);
    await hostGit('fetch', mirror, [
      'fetch',
      '--quiet',
      '--no-tags',
      cloneUrl,
      `refs/heads/${base}:refs/heads/${base}`,
      `refs/heads/stackyard/*:refs/heads/stackyard/*`,
    ]);
    await git(['symbolic-ref', 'HEAD', `refs/heads/${base}`], { cwd: mirror });
    const fetchMs = Date.now() - fetchStarted;
    say(
      'read',
      `Fetched ${base} and the stackyard/* branches of ${name} from ${label}`,
    );

    // upgradeService authorizes once it knows the versions, before it
    // refuses a branch that exists: the subject says which branch that is.
    let subject: UpgradeSubject | undefined;
    let result: UpgradeResult;
    try {
      result = await upgradeService({
        ...upgrade,
        repoDir: mirror,
        baseBranch: base,
        authorize: async asked => {
          subject = asked;
          await upgrade.authorize?.(asked);
        },
        // Its push goes to the temporary repository; ours to the host follows.
        onProgress: event => {
          if (event.stage !== 'push') options.onProgress?.(event);
        },
      });
    } catch (error) {
      const branch =
        subject && compareVersions(subject.toVersion, subject.fromVersion) > 0
          ? upgradeBranchName(subject.toVersion)
          : undefined;
      if (
        !(error instanceof ConflictError) ||
        !branch ||
        !(await branchExists(mirror, branch))
      ) {
        throw error;
      }
      return await reuseBranch({
        api,
        mirror,
        base,
        branch,
        subject: subject!,
        say,
        log,
      });
    }
    const { branch } = result;
    if (branch === base || PRISTINE_BRANCH === base) {
      throw new Error(`Refusing to push ${branch} over the default branch`);
    }

    const pushStarted = Date.now();
    try {
      await hostGit('push', mirror, [
        'push',
        '--quiet',
        '--atomic',
        '--no-verify',
        cloneUrl,
        `refs/heads/${PRISTINE_BRANCH}:refs/heads/${PRISTINE_BRANCH}`,
        `refs/heads/${branch}:refs/heads/${branch}`,
      ]);
    } catch (error) {
      if (
        /rejected|non-fast-forward|fetch first|stale info/.test(String(error))
      ) {
        throw new ConflictError(
          `Another change reached ${PRISTINE_BRANCH} or ${branch} on ${label} while upgrading; nothing was pushed, run the upgrade again`,
        );
      }
      throw error;
    }
    say(
      'push',
      `Pushed ${branch} (${result.commit.slice(
        0,
        12,
      )}) and ${PRISTINE_BRANCH} to ${name} on ${label}`,
    );
    const pullRequest = await api.open({
      title: pullRequestTitle(result),
      body: pullRequestBody(result, { base }),
      head: branch,
      base,
    });
    say('push', `Pull request: ${pullRequest.url}`);
    const innerLog = result.log.filter(
      line => !line.startsWith(`Pushed ${branch} (`),
    );
    return {
      ...result,
      log: [log[0], ...innerLog, ...log.slice(1)],
      timings: {
        ...result.timings,
        read: (result.timings.read ?? 0) + fetchMs,
        push: Date.now() - pushStarted,
      },
      pullRequest,
      reused: false,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The host's clone URL, only when it is on the integration's host (the token goes nowhere else). */
function checkCloneUrl(repository: HostedRepository, cloneUrl: string): string {
  const label = hostLabel(repository);
  let url: URL;
  try {
    url = new URL(cloneUrl);
  } catch {
    throw new Error(`${label} gave no usable clone URL`);
  }
  const expectedHost = new URL(repository.webBaseUrl).host;
  // Plain HTTP only where the integration's API is configured as such.
  const scheme = new URL(repository.apiBaseUrl).protocol;
  if (
    url.host !== expectedHost ||
    url.username ||
    url.password ||
    (url.protocol !== 'https:' && url.protocol !== scheme)
  ) {
    throw new NotAllowedError(
      `${label} gave the clone URL ${url.protocol}//${url.host}${
        url.pathname
      }, not on ${expectedHost} over ${scheme.replace(
        ':',
        '',
      )}: refusing to send the integration's token there`,
    );
  }
  return url.toString();
}

/** git with the token's header; failures name the host, never the token. */
function hostGitRunner(
  repository: HostedRepository,
  cloneUrl: string,
  token: HostToken,
) {
  const env = gitAuthEnv(repository, cloneUrl, token.token);
  const label = hostLabel(repository);
  const name = `${repository.owner}/${repository.repo}`;
  return async (what: 'fetch' | 'push', cwd: string, args: string[]) => {
    try {
      return await git(args, { cwd, env });
    } catch (error) {
      const said = token.redact(String((error as Error).message));
      if (
        /Authentication failed|could not read Username|\b40[13]\b/.test(said)
      ) {
        throw new NotAllowedError(
          `${label} refused the integration's token to ${what} ${name} (${
            said.split('\n')[0]
          })`,
        );
      }
      throw new GitError(
        said,
        error instanceof GitError ? error.code : undefined,
        '',
      );
    }
  };
}

async function branchExists(repo: string, branch: string) {
  return git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd: repo,
  }).then(
    () => true,
    () => false,
  );
}

/**
 * The upgrade branch is on the host already (an earlier run): its open
 * pull request, or a new one made from what the branch's merge commit
 * records (its conflicts; tests and policy were not recorded).
 */
async function reuseBranch(args: {
  api: HostApi;
  mirror: string;
  base: string;
  branch: string;
  subject: UpgradeSubject;
  say: (stage: UpgradeStage, message: string) => void;
  log: string[];
}): Promise<HostedUpgradeResult> {
  const { api, mirror, base, branch, subject, say, log } = args;
  const commit = await git(['rev-parse', `refs/heads/${branch}`], {
    cwd: mirror,
  });
  const message = await git(
    [
      'log',
      '-1',
      '--merges',
      '--format=%B',
      `refs/heads/${branch}`,
      `^refs/heads/${base}`,
    ],
    { cwd: mirror },
  );
  const conflictDetails = conflictsIn(message);
  const result: UpgradeResult = {
    template: subject.template,
    fromVersion: subject.fromVersion,
    toVersion: subject.toVersion,
    branch,
    commit,
    conflicts: conflictDetails.map(c => c.path),
    conflictDetails,
    testsPassed: null,
    policyPassed: null,
    defaultedAnswers: [],
    log,
    timings: {},
  };
  let pullRequest = await api.findOpen(branch, base);
  if (pullRequest) {
    say(
      'push',
      `${branch} is there already, from an earlier upgrade: its pull request is ${pullRequest.url}`,
    );
  } else {
    pullRequest = await api.open({
      title: pullRequestTitle(result),
      body: pullRequestBody(result, { base, earlierRun: true }),
      head: branch,
      base,
    });
    say(
      'push',
      `${branch} is there already, from an earlier upgrade; opened its pull request: ${pullRequest.url}`,
    );
  }
  return { ...result, log, pullRequest, reused: true };
}

/** The conflicts an upgrade's merge commit lists ("Conflicts to resolve:"). */
function conflictsIn(message: string): UpgradeConflict[] {
  const section = message.split('\nConflicts to resolve:\n')[1] ?? '';
  const kinds: UpgradeConflict['kind'][] = [
    'content',
    'added',
    'deleted',
    'removed',
  ];
  const found: UpgradeConflict[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('- ')) continue;
    const text = line.slice(2);
    for (const kind of kinds) {
      const suffix = describeConflict({ path: '', kind });
      if (text.endsWith(suffix) && text.length > suffix.length) {
        found.push({ path: text.slice(0, -suffix.length), kind });
        break;
      }
    }
  }
  return found;
}
