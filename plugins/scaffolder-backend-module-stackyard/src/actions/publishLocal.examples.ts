import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Publish the rendered service to a local git repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'stackyard:publish:local',
          name: 'Publish to a local git repository',
          input: { repoName: 'orders', defaultBranch: 'main' },
        },
      ],
    }),
  },
];
