import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { resolveHostedRepository } from './hostedRepository';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [
        {
          host: 'ghe.example.com',
          apiBaseUrl: 'https://ghe.example.com/api/v3',
        },
      ],
      gitlab: [
        {
          host: 'gitlab.example.com',
          apiBaseUrl: 'https://gitlab.example.com/api/v4',
        },
      ],
    },
  }),
);

describe('resolveHostedRepository', () => {
  it.each([
    [
      'github.com?owner=acme&repo=orders',
      'github',
      'github.com',
      'acme',
      'orders',
      'https://api.github.com',
    ],
    [
      'ghe.example.com?owner=acme&repo=orders',
      'github',
      'ghe.example.com',
      'acme',
      'orders',
      'https://ghe.example.com/api/v3',
    ],
    [
      'https://ghe.example.com/acme/orders/tree/main/',
      'github',
      'ghe.example.com',
      'acme',
      'orders',
      'https://ghe.example.com/api/v3',
    ],
    [
      'https://github.com/acme/orders.git',
      'github',
      'github.com',
      'acme',
      'orders',
      'https://api.github.com',
    ],
    [
      'gitlab.example.com?owner=platform/services&repo=orders',
      'gitlab',
      'gitlab.example.com',
      'platform/services',
      'orders',
      'https://gitlab.example.com/api/v4',
    ],
    [
      'https://gitlab.example.com/platform/services/orders/-/tree/main/',
      'gitlab',
      'gitlab.example.com',
      'platform/services',
      'orders',
      'https://gitlab.example.com/api/v4',
    ],
  ])('reads %s', (url, kind, host, owner, repo, apiBaseUrl) => {
    expect(resolveHostedRepository(url, integrations)).toMatchObject({
      kind,
      host,
      owner,
      repo,
      apiBaseUrl,
    });
  });

  it.each([
    [
      'bitbucket.org?owner=acme&repo=orders',
      /No GitHub or GitLab integration for host bitbucket\.org/,
    ],
    [
      'https://user:secret@github.com/acme/orders',
      /must not carry credentials/,
    ],
    ['github.com?owner=acme&repo=..', /names no repository/],
    ['github.com?owner=acme/sub&repo=orders', /names no repository/],
    ['github.com?owner=acme', /names no repository/],
    [
      'gitlab.example.com?owner=platform/../x&repo=orders',
      /names no repository/,
    ],
  ])('refuses %s', (url, message) => {
    expect(() => resolveHostedRepository(url, integrations)).toThrow(message);
  });
});
