/**
 * Schemas of template updates: each scaffolder template with its versions,
 * the entities made from it and the changelog, and upgrades of those
 * entities to the template's current version.
 */
import { z } from 'zod';
import { entityRefSchema } from './schemas';

const timestamp = (description: string) =>
  z.iso.datetime({ offset: true }).meta({ description });

/** A scaffolder template's name (`metadata.name` of its Template entity). */
export const templateNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, {
    message: 'must be a template name such as "serverless-service"',
  })
  .meta({ example: 'serverless-service' });

/** A dotted template version, e.g. `1.1.0`. */
export const templateVersionSchema = z
  .string()
  .regex(/^\d+(\.\d+){0,3}$/, {
    message: 'must be a dotted version such as "1.1.0"',
  })
  .meta({ example: '1.1.0' });

export const changelogEntrySchema = z
  .object({
    version: templateVersionSchema,
    date: z.string().optional().meta({ description: 'As the heading says.' }),
    notes: z
      .string()
      .meta({ description: 'The entry as written (Markdown), trimmed.' }),
  })
  .meta({
    id: 'ChangelogEntry',
    description: "One version's entry of the template folder's CHANGELOG.md.",
  });

export const templateUpgradeStateSchema = z
  .enum(['queued', 'running', 'merged', 'conflicts', 'failed'])
  .meta({
    description:
      '`merged`: the new version merged cleanly into the upgrade branch; `conflicts`: merged with conflict markers (see `conflicts`); `failed`: the upgrade could not run (see `error`).',
  });

export const templateUpgradeSchema = z
  .object({
    id: z.uuid(),
    templateName: templateNameSchema,
    entityRef: entityRefSchema,
    fromVersion: z.string().optional(),
    toVersion: z.string(),
    state: templateUpgradeStateSchema,
    progress: z
      .array(z.string())
      .meta({ description: 'The steps done so far, oldest first.' }),
    branch: z
      .string()
      .optional()
      .meta({ description: 'The branch the upgrade was merged into.' }),
    conflicts: z
      .array(z.string())
      .meta({ description: 'Files left with conflict markers.' }),
    testsPassed: z
      .boolean()
      .optional()
      .meta({ description: "Whether the service's own tests passed." }),
    policyPassed: z
      .boolean()
      .optional()
      .meta({ description: 'Whether the synth and safety policy passed.' }),
    pullRequestUrl: z.string().optional(),
    error: z.string().optional(),
    actor: z.string(),
    createdAt: timestamp('When the upgrade was asked for.'),
    updatedAt: timestamp('When it last changed.'),
  })
  .meta({
    id: 'TemplateUpgrade',
    description: "One entity's upgrade to a newer template version.",
  });

export const templateEntitySchema = z
  .object({
    entityRef: entityRefSchema,
    title: z.string().optional(),
    version: z.string().optional().meta({
      description: 'The template version the entity was made from.',
    }),
    behind: z.boolean().meta({
      description: 'Whether the template has a newer version than `version`.',
    }),
    canUpgrade: z.boolean().meta({
      description:
        'Whether the caller holds `stackyard.template.upgrade` on the entity (or on the template).',
    }),
    blockedReason: z.string().optional().meta({
      description:
        'Why the portal cannot upgrade the entity, e.g. its repository is not published locally.',
    }),
    lastUpgrade: templateUpgradeSchema.optional(),
  })
  .meta({ id: 'TemplateEntity' });

export const templateSummarySchema = z
  .object({
    name: templateNameSchema,
    entityRef: entityRefSchema,
    title: z.string().optional(),
    owner: z.string().optional(),
    latestVersion: z.string().optional().meta({
      description: "The Template entity's `stackyard.io/template-version`.",
    }),
    versions: z
      .array(
        z.object({
          version: z.string(),
          entities: z.number().int().nonnegative(),
        }),
      )
      .meta({
        description:
          'Every known version (changelog, current, in use), newest first, with how many entities are on it.',
      }),
    changelog: z.array(changelogEntrySchema).meta({
      description: 'CHANGELOG.md of the template folder, newest first.',
    }),
    entities: z.array(templateEntitySchema),
  })
  .meta({ id: 'TemplateSummary' });

export const listTemplatesResponseSchema = z
  .object({ templates: z.array(templateSummarySchema) })
  .meta({ id: 'ListTemplatesResponse' });

/** Validates the body of `POST /templates/{name}/upgrades`. */
export const startTemplateUpgradesRequestSchema = z
  .object({
    entityRefs: z
      .array(entityRefSchema)
      .min(1)
      .max(100)
      .meta({ description: 'The entities to upgrade (1-100).' }),
  })
  .strict()
  .meta({ id: 'StartTemplateUpgradesRequest' });

export const templateUpgradesResponseSchema = z
  .object({ upgrades: z.array(templateUpgradeSchema) })
  .meta({ id: 'TemplateUpgradesResponse' });

/** `GET /templates` */
export type ListTemplatesResponse = z.infer<typeof listTemplatesResponseSchema>;
export type TemplateSummary = z.infer<typeof templateSummarySchema>;
export type TemplateEntity = z.infer<typeof templateEntitySchema>;
export type TemplateUpgrade = z.infer<typeof templateUpgradeSchema>;
export type TemplateUpgradeState = z.infer<typeof templateUpgradeStateSchema>;
export type ChangelogEntry = z.infer<typeof changelogEntrySchema>;
/** `POST /templates/{name}/upgrades` */
export type StartTemplateUpgradesRequest = z.infer<
  typeof startTemplateUpgradesRequestSchema
>;
/** `POST /templates/{name}/upgrades` (202), `GET /templates/{name}/upgrades` */
export type TemplateUpgradesResponse = z.infer<
  typeof templateUpgradesResponseSchema
>;
