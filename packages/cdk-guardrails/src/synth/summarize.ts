/** Resource counts of one synthesized stack. */
export interface StackSummary {
  /** The stack name. */
  readonly stackName: string;
  /** The stack's construct path. */
  readonly path: string;
  /** How many resources the template declares. */
  readonly resourceCount: number;
  /** How many resources of each type. */
  readonly resourcesByType: Readonly<Record<string, number>>;
}

/** Counts the resources of a template by type. */
export function summarizeTemplate(
  stackName: string,
  path: string,
  template: { Resources?: Record<string, { Type?: string }> },
): StackSummary {
  const byType: Record<string, number> = {};
  const resources = Object.values(template.Resources ?? {});
  for (const r of resources) {
    const type = r?.Type ?? 'unknown';
    byType[type] = (byType[type] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(
    Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    stackName,
    path,
    resourceCount: resources.length,
    resourcesByType: sorted,
  };
}
