import type { Environment } from '@stackyard/plugin-stackyard-common';
import { groupByPrefix } from './grouping';

const env = (prefix: string, stage: string) =>
  ({ prefix, stage, stackName: `${prefix}-${stage}` } as Environment);

describe('groupByPrefix', () => {
  it('groups by prefix and orders stages', () => {
    const groups = groupByPrefix([
      env('wo-42', 'dev'),
      env('wo', 'prod'),
      env('wo', 'dev'),
    ]);
    expect(
      groups.map(g => [g.prefix, g.environments.map(e => e.stage)]),
    ).toEqual([
      ['wo', ['dev', 'prod']],
      ['wo-42', ['dev']],
    ]);
  });
});
