import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Resolve the prefix of a feature branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'prefix',
          action: 'stackyard:prefix:resolve',
          name: 'Resolve prefix',
          input: {
            project: 'wo',
            branch: 'feature/wo-42-add-retries',
            stage: 'dev',
          },
        },
      ],
    }),
  },
  {
    description: 'The main branch uses the bare project code',
    example: yaml.stringify({
      steps: [
        {
          id: 'prefix',
          action: 'stackyard:prefix:resolve',
          name: 'Resolve prefix',
          input: { project: 'wo', branch: 'main', stage: 'prod' },
        },
      ],
    }),
  },
  {
    description: 'An explicit override wins over the branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'prefix',
          action: 'stackyard:prefix:resolve',
          name: 'Resolve prefix',
          input: {
            project: 'wo',
            branch: 'feature/wo-42-add-retries',
            override: 'alice-sandbox',
            stage: 'dev',
          },
        },
      ],
    }),
  },
];
