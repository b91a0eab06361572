import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { fixtureMonorepo } from '../__testUtils__/monorepo';
import { templateDependencyNames } from './templateDependencies';

describe('templateDependencyNames', () => {
  it("reads the skeletons' dependencies through their template expressions, skipping what does not parse", () => {
    const repo = fixtureMonorepo({});
    try {
      const skeleton = (template: string, text: string) => {
        mkdirSync(join(repo.root, 'templates', template, 'skeleton'), {
          recursive: true,
        });
        writeFileSync(
          join(repo.root, 'templates', template, 'skeleton', 'package.json'),
          text,
        );
      };
      skeleton(
        'one',
        '{ "name": ${{ values.name | dump }}, "devDependencies": { "@x/lib": "^1.0.0" } }',
      );
      skeleton(
        'two',
        '{ "dependencies": { "@x/ws": "^1.0.0", "@x/lib": "^1.0.0" } }',
      );
      skeleton(
        'broken',
        '{% if x %}{ "dependencies": { "@x/never": "1" } }{% endif %}',
      );
      expect(templateDependencyNames(repo.root)).toEqual(['@x/lib', '@x/ws']);
    } finally {
      repo.cleanup();
    }
  });
});
