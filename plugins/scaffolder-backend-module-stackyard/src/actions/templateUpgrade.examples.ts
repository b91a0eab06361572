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
];
