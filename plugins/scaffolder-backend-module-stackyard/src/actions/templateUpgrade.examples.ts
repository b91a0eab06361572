import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Upgrade a locally published service to its template's current version: the branch stackyard/upgrade-<version> is left in its repository",
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'stackyard:template:upgrade',
          name: 'Upgrade to the current template version',
          input: { repoName: 'orders' },
        },
      ],
    }),
  },
  {
    description:
      "Upgrade to a given version, answering a question the recorded answers no longer satisfy, without running the service's tests",
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'stackyard:template:upgrade',
          name: 'Upgrade to 1.1.0',
          input: {
            repoName: 'orders',
            toVersion: '1.1.0',
            answers: { owner: 'group:default/team-b' },
            runTests: false,
          },
        },
      ],
    }),
  },
  {
    description:
      'Upgrade a service whose repository is on GitHub (or GitLab): the branch is pushed there and a pull request opened, listing conflicts file by file; run again, it returns the open pull request',
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'stackyard:template:upgrade',
          name: 'Open the upgrade pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=orders',
            entityRef: 'component:default/orders',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Upgrade pull request',
            url: '${{ steps.upgrade.output.pullRequestUrl }}',
          },
        ],
      },
    }),
  },
];
