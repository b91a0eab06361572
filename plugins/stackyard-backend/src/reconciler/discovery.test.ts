import type { StackSummary } from '../aws/CloudFormationStacks';
import { costCenterOf, readDiscoveryTags } from './discovery';

const stack = (
  stackName: string,
  tags: Record<string, string>,
): StackSummary => ({
  stackName,
  stackId: `id-${stackName}`,
  stackStatus: 'CREATE_COMPLETE',
  outputs: {},
  terminationProtection: false,
  tags,
  creationTime: new Date('2026-01-01T00:00:00Z'),
});

const tagged = (extra: Record<string, string> = {}) => ({
  'stackyard:entity-ref': 'component:default/orders',
  'stackyard:prefix': 'wo-42',
  'stackyard:stage': 'preview',
  ...extra,
});

describe('readDiscoveryTags', () => {
  it('ignores stacks without an entity tag', () => {
    expect(readDiscoveryTags(stack('x-dev', { Project: 'x' }), 72)).toEqual({
      kind: 'untagged',
    });
  });

  it('reads entity, prefix, stage, branch, commit and the TTL', () => {
    expect(
      readDiscoveryTags(
        stack(
          'wo-42-preview',
          tagged({
            'stackyard:branch': 'feature/wo-42-x',
            'stackyard:commit': 'abc123',
            'stackyard:ttl-hours': 'default',
          }),
        ),
        72,
      ),
    ).toEqual({
      kind: 'adoptable',
      stack: {
        entityRef: 'component:default/orders',
        prefix: 'wo-42',
        stage: 'preview',
        branch: 'feature/wo-42-x',
        commit: 'abc123',
        expiresAt: new Date('2026-01-04T00:00:00Z'),
      },
    });
    expect(
      readDiscoveryTags(
        stack('wo-42-preview', tagged({ 'stackyard:ttl-hours': '1.5' })),
        72,
      ),
    ).toMatchObject({
      stack: { expiresAt: new Date('2026-01-01T01:30:00Z') },
    });
  });

  it.each([
    ['wo-42-preview', { 'stackyard:entity-ref': 'orders' }, /entityRef/],
    ['wo-43-preview', {}, /name "wo-42-preview", not "wo-43-preview"/],
    ['wo-42-preview', { 'stackyard:stage': '' }, /no stackyard:prefix or/],
    // Not a valid stage: an orphan, not an error that stops the cycle.
    ['wo-42-Prod_1', { 'stackyard:stage': 'Prod_1' }, /stage/],
    [
      'wo-42-preview',
      { 'stackyard:ttl-hours': '-1' },
      /"-1" is not a positive/,
    ],
  ])('does not adopt %s with %j', (name, extra, reason) => {
    const verdict = readDiscoveryTags(stack(name, tagged(extra)), 72);
    expect(verdict.kind).toBe('orphan');
    expect(verdict.kind === 'orphan' && verdict.reason).toMatch(reason);
  });
});

describe('costCenterOf', () => {
  it("reads the stack's CostCenter tag, trimmed; blank or absent is none", () => {
    expect(costCenterOf(stack('a-dev', { CostCenter: ' cc-1234 ' }))).toBe(
      'cc-1234',
    );
    expect(costCenterOf(stack('a-dev', { CostCenter: '  ' }))).toBeUndefined();
    expect(costCenterOf(stack('a-dev', {}))).toBeUndefined();
  });

  it('is carried by an adoptable stack', () => {
    const verdict = readDiscoveryTags(
      stack('wo-42-preview', tagged({ CostCenter: 'cc-9' })),
      72,
    );
    expect(verdict).toMatchObject({
      kind: 'adoptable',
      stack: { costCenter: 'cc-9' },
    });
  });
});
