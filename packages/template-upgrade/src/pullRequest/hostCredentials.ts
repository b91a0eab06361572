import { NotAllowedError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  DefaultGitlabCredentialsProvider,
  GithubCredentialsProvider,
  GitlabCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { HostedRepository, hostLabel } from './hostedRepository';

/** Where tokens for Git hosts come from; default: the integrations' own providers. */
export interface HostCredentialsProviders {
  /** Default: `DefaultGithubCredentialsProvider.fromIntegrations(integrations)`. */
  readonly github?: GithubCredentialsProvider;
  /** Default: `DefaultGitlabCredentialsProvider.fromIntegrations(integrations)`. */
  readonly gitlab?: GitlabCredentialsProvider;
}

/** A token for one repository, and how to keep it out of anything shown. */
export interface HostToken {
  readonly token: string;
  /** Replaces the token (and its encodings) in a text with `***`. */
  readonly redact: (text: string) => string;
}

/**
 * The token Backstage's integration gives for the repository: a GitHub
 * App installation token or the configured token (GitHub), the configured
 * token (GitLab).
 */
export async function hostToken(
  repository: HostedRepository,
  integrations: ScmIntegrationRegistry,
  providers: HostCredentialsProviders = {},
): Promise<HostToken> {
  const url = `${repository.webBaseUrl}/${repository.owner}/${repository.repo}`;
  const { token } =
    repository.kind === 'github'
      ? await (
          providers.github ??
          DefaultGithubCredentialsProvider.fromIntegrations(integrations)
        ).getCredentials({ url })
      : await (
          providers.gitlab ??
          DefaultGitlabCredentialsProvider.fromIntegrations(integrations)
        ).getCredentials({ url });
  if (!token) {
    throw new NotAllowedError(
      `No credentials for ${hostLabel(
        repository,
      )}: configure a token (or, for GitHub, an app) in its integration`,
    );
  }
  return { token, redact: redactor(token) };
}

function redactor(token: string): (text: string) => string {
  const forms = [
    token,
    encodeURIComponent(token),
    ...['x-access-token', 'oauth2'].map(user =>
      Buffer.from(`${user}:${token}`).toString('base64'),
    ),
  ];
  return text => forms.reduce((out, form) => out.split(form).join('***'), text);
}

/**
 * Environment for git commands that talk to the repository over HTTPS:
 * the token goes as an `Authorization` header scoped to the host's URL,
 * through `GIT_CONFIG_*` variables — never on a command line or in a URL
 * git could print. Credential helpers are off (nothing stored, nothing
 * else offered) and redirects are not followed (the header goes to the
 * integration's host only).
 */
export function gitAuthEnv(
  repository: HostedRepository,
  cloneUrl: string,
  token: string,
): Record<string, string> {
  const user = repository.kind === 'github' ? 'x-access-token' : 'oauth2';
  const origin = new URL(cloneUrl).origin;
  const settings: [string, string][] = [
    [
      `http.${origin}/.extraHeader`,
      `Authorization: Basic ${Buffer.from(`${user}:${token}`).toString(
        'base64',
      )}`,
    ],
    ['credential.helper', ''],
    ['http.followRedirects', 'false'],
  ];
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(settings.length),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
  };
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
