import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploy the rendered service to the local target (a preview, not deployed to AWS)',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'stackyard:cdk:deploy',
          name: 'Deploy',
          input: {
            entityRef: 'component:default/orders',
            target: 'local',
            stage: 'dev',
            prefix: 'orders',
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy a feature branch to an AWS target, approving a change that broadens permissions',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'stackyard:cdk:deploy',
          name: 'Deploy',
          input: {
            entityRef: 'component:default/orders',
            target: 'sandbox',
            stage: 'dev',
            branch: 'feature/orders-7-retries',
            approveBroadening: true,
          },
        },
      ],
    }),
  },
];
