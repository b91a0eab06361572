import type { Environment } from '@stackyard/plugin-stackyard-common';

/** Environments of one prefix (a branch, or the main line). */
export type EnvironmentGroup = { prefix: string; environments: Environment[] };

/** Sorted by prefix, then stage; grouped by prefix, keeping the order. */
export function groupByPrefix(environments: Environment[]): EnvironmentGroup[] {
  const sorted = [...environments].sort(
    (a, b) =>
      a.prefix.localeCompare(b.prefix) ||
      a.stage.localeCompare(b.stage) ||
      a.stackName.localeCompare(b.stackName),
  );
  const groups: EnvironmentGroup[] = [];
  for (const env of sorted) {
    const last = groups[groups.length - 1];
    if (last?.prefix === env.prefix) last.environments.push(env);
    else groups.push({ prefix: env.prefix, environments: [env] });
  }
  return groups;
}
