import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Tear down the dev environment of a feature branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'destroy',
          action: 'stackyard:cdk:destroy',
          name: 'Tear down',
          input: {
            entityRef: 'component:default/orders',
            target: 'local',
            prefix: 'orders-7',
            stage: 'dev',
          },
        },
      ],
    }),
  },
];
