/**
 * Schemas of targets as the API shows them: where environments may run and
 * which stages each accepts. Never credentials: those stay in the backend.
 */
import { z } from 'zod';
import { quoteValue } from '../naming';
import { targetTypeSchema } from './models';

export const targetSummarySchema = z
  .object({
    name: z
      .string()
      .meta({ description: 'The target name of stackyard.targets.' }),
    type: targetTypeSchema,
    accountId: z
      .string()
      .meta({ description: 'The AWS account (aws targets only).' })
      .optional(),
    region: z
      .string()
      .meta({ description: 'The AWS region (aws targets only).' })
      .optional(),
    stages: z
      .array(z.string())
      .meta({
        description:
          'The stages the target accepts, in configuration order; absent when it accepts every stage.',
      })
      .optional(),
  })
  .meta({
    id: 'Target',
    description:
      'A configured target: where environments run (an AWS account and region, or local previews).',
  });

export const listTargetsResponseSchema = z
  .object({ items: z.array(targetSummarySchema) })
  .meta({
    id: 'ListTargetsResponse',
    description: 'Every configured target, in configuration order.',
  });

/** A configured target as the API shows it. */
export type TargetSummary = z.infer<typeof targetSummarySchema>;
/** The answer of `GET /targets`. */
export type ListTargetsResponse = z.infer<typeof listTargetsResponseSchema>;

/**
 * Why `target` does not accept `stage`, or undefined when it does (a target
 * without a stage list accepts every stage). The backend refuses a deploy
 * with this message; the wizard shows it before anything is submitted.
 */
export function targetStageProblem(
  target: { readonly name: string; readonly stages?: readonly string[] },
  stage: string,
): string | undefined {
  if (!target.stages || target.stages.includes(stage)) return undefined;
  return `target ${quoteValue(target.name)} does not accept stage ${quoteValue(
    stage,
  )}; it accepts: ${target.stages.join(', ')}`;
}

/** The stages of `stages` that `target` accepts, in their order. */
export function stagesAcceptedBy(
  target: { readonly stages?: readonly string[] },
  stages: readonly string[],
): string[] {
  return stages.filter(
    stage => !target.stages || target.stages.includes(stage),
  );
}
