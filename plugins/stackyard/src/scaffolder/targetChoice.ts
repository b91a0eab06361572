import {
  TargetSummary,
  stagesAcceptedBy,
  targetStageProblem,
} from '@stackyard/plugin-stackyard-common';

/** The `ui:options` of the stage picker. */
export type StagePickerOptions = {
  /** The form field holding the target name; default `target`. */
  targetField?: string;
};

/** What the target picker shows beside a target's name. */
export function targetDescription(target: TargetSummary): string {
  if (target.type === 'local') return 'local preview, not deployed to AWS';
  return `AWS account ${target.accountId} · ${target.region}`;
}

/** The form field that holds the target the stage picker depends on. */
export function targetFieldOf(options?: StagePickerOptions): string {
  return options?.targetField ?? 'target';
}

/** One stage the stage picker may offer: its value and label. */
export type StageOption = { value: string; label: string };

/**
 * The stages the template offers (its `enum`, labelled by `enumNames`),
 * narrowed to those `target` accepts; all of them while no target is known.
 */
export function stageOptions(
  schema: { enum?: unknown[]; enumNames?: unknown[] },
  target: TargetSummary | undefined,
): StageOption[] {
  const values = (schema.enum ?? []).filter(
    (v): v is string => typeof v === 'string',
  );
  const labelOf = (value: string) => {
    const label = schema.enumNames?.[values.indexOf(value)];
    return typeof label === 'string' ? label : value;
  };
  const accepted = target ? stagesAcceptedBy(target, values) : values;
  return accepted.map(value => ({ value, label: labelOf(value) }));
}

/** Why the chosen target is not offered, or undefined when it is. */
export function unknownTargetProblem(
  name: string,
  targets: readonly TargetSummary[],
): string | undefined {
  if (targets.some(t => t.name === name)) return undefined;
  return `target "${name}" is not configured; configured targets: ${targets
    .map(t => t.name)
    .join(', ')}`;
}

/**
 * Why `stage` cannot be deployed to the target named `targetName`, or
 * undefined when it can (or no target is chosen yet: the target picker
 * reports that).
 */
export function stageProblem(
  stage: string,
  targetName: unknown,
  targets: readonly TargetSummary[],
): string | undefined {
  if (typeof targetName !== 'string' || !targetName) return undefined;
  const target = targets.find(t => t.name === targetName);
  return target ? targetStageProblem(target, stage) : undefined;
}
