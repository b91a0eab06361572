import { BUILT_IN_STAGES, StageConfig } from '../stages/stageConfig';

/** What a Stackyard-built template records about its stage. */
export interface RecordedStage {
  readonly stage: string;
  readonly production: boolean;
  readonly ephemeral: boolean;
}

/** The template metadata key under which the stage is recorded. */
export const STAGE_METADATA_KEY = 'Stackyard';

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The stage to judge a template by: the stage recorded in its metadata, or
 * production (the strictest) when it records none.
 */
export function stageOfTemplate(template: unknown): StageConfig {
  const recorded = asObject(
    asObject(asObject(template).Metadata)[STAGE_METADATA_KEY],
  );
  const strictest = BUILT_IN_STAGES.prod;
  if (typeof recorded.stage !== 'string') {
    return strictest;
  }
  const production = recorded.production !== false;
  return {
    ...strictest,
    name: recorded.stage,
    production,
    ephemeral: !production && recorded.ephemeral === true,
  };
}
