/**
 * Stacks with Stackyard's tags whose `stackyard:entity-ref` is no entity
 * ref at all, so discovery lists them as orphans (unreadable tags). The
 * platform page test creates `admin` on the main portal's loopback
 * endpoint; the PostgreSQL portal's endpoint starts with `nonAdmin`.
 */
export const orphanStacks = {
  admin: { name: 'oe2e-dev', prefix: 'oe2e', stage: 'dev' },
  nonAdmin: { name: 'ne2e-dev', prefix: 'ne2e', stage: 'dev' },
} as const;

/** A stack's orphan-making tags: a malformed entity ref, valid prefix and stage. */
export const orphanTags = (stack: { prefix: string; stage: string }) => ({
  'stackyard:entity-ref': 'orders service',
  'stackyard:prefix': stack.prefix,
  'stackyard:stage': stack.stage,
});

/** An orphan as `GET /api/stackyard/orphans` lists it (the fields the tests read). */
export type ListedOrphan = {
  id: string;
  kind: string;
  stackName: string;
  reason: string;
};
