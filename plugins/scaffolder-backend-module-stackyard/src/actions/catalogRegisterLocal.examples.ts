import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Register the catalog file of a repository published by stackyard:publish:local',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'stackyard:catalog:register-local',
          name: 'Register in the catalog',
          input: {
            repoPath: '${{ steps.publish.output.repoPath }}',
            catalogInfoPath: 'catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
