import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Synthesize the rendered service for the dev stage with an explicit prefix',
    example: yaml.stringify({
      steps: [
        {
          id: 'synth',
          action: 'stackyard:cdk:synth',
          name: 'Synthesize and check',
          input: { appDir: '.', prefix: 'orders', stage: 'dev' },
        },
      ],
    }),
  },
  {
    description: 'Synthesize with the prefix of a feature branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'synth',
          action: 'stackyard:cdk:synth',
          name: 'Synthesize and check',
          input: { branch: 'feature/orders-7-retries', stage: 'dev' },
        },
      ],
    }),
  },
];
