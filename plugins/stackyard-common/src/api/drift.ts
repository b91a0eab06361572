/**
 * Schemas of drift: whether an environment's stack still matches its
 * template (CloudFormation drift detection), as the API answers it.
 */
import { z } from 'zod';

const timestamp = (description: string) =>
  z.iso.datetime({ offset: true }).meta({ description });

export const driftStatusSchema = z
  .enum(['in-sync', 'drifted', 'checking', 'failed'])
  .meta({
    description:
      '`in-sync`: every checked resource matches its template; `drifted`: at least one was changed or deleted outside CloudFormation; `checking`: a detection runs; `failed`: the last detection could not finish (`reason` says why).',
  });

export const environmentDriftSchema = z
  .object({
    status: driftStatusSchema,
    checkedAt: timestamp(
      'When the last detection finished (or started, while checking).',
    ).optional(),
    driftedResources: z
      .number()
      .int()
      .nonnegative()
      .meta({
        description: 'Resources modified or deleted outside CloudFormation.',
      })
      .optional(),
    reason: z.string().optional(),
  })
  .meta({
    id: 'EnvironmentDrift',
    description:
      "The last drift check of an environment's stack; absent when never checked.",
  });

export const propertyDifferenceSchema = z
  .object({
    path: z.string().meta({
      description: 'JSON pointer into the properties, e.g. `/MemorySize`.',
    }),
    expected: z
      .string()
      .meta({ description: "The template's value, as JSON." })
      .optional(),
    actual: z
      .string()
      .meta({ description: 'The value in AWS, as JSON.' })
      .optional(),
    type: z.enum(['ADD', 'REMOVE', 'NOT_EQUAL']),
  })
  .meta({ id: 'PropertyDifference' });

export const resourceDriftSchema = z
  .object({
    logicalId: z.string(),
    physicalId: z.string().optional(),
    type: z.string(),
    status: z.enum(['IN_SYNC', 'MODIFIED', 'DELETED', 'NOT_CHECKED']),
    differences: z.array(propertyDifferenceSchema),
  })
  .meta({
    id: 'ResourceDrift',
    description: "One resource's drift, as CloudFormation detected it.",
  });

export const driftReportSchema = z
  .object({
    drift: environmentDriftSchema.optional(),
    resources: z.array(resourceDriftSchema).meta({
      description:
        'Every resource of the last finished detection, drifted ones first.',
    }),
  })
  .meta({ id: 'DriftReport' });

export const checkDriftResponseSchema = z
  .object({
    drift: environmentDriftSchema,
    started: z.boolean().meta({
      description:
        '`false` when a check of the stack was already running and is reused.',
    }),
  })
  .meta({ id: 'CheckDriftResponse' });
