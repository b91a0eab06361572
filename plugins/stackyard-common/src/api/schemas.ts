import { z } from 'zod';
import { validatePrefix, validateStackName, validateStage } from '../naming';

const ENTITY_REF =
  /^[a-z0-9][-a-z0-9_.]*:[a-z0-9][-a-z0-9_.]*\/[a-z0-9][-a-z0-9_.]*$/i;

const checked = (validate: (value: unknown) => string[]) =>
  z.string().superRefine((value, ctx) => {
    for (const message of validate(value)) {
      ctx.addIssue({ code: 'custom', message });
    }
  });

/** Validates a full entity ref such as `component:default/orders`. */
export const entityRefSchema = z.string().max(255).regex(ENTITY_REF, {
  message: 'must be a full entity ref such as "component:default/orders"',
});

/** Validates the body of `POST /environments`. */
export const registerDeploymentRequestSchema = z
  .object({
    entityRef: entityRefSchema,
    target: z.string().regex(/^[a-z][-a-z0-9]{0,62}$/, {
      message: 'must be a configured target name such as "local"',
    }),
    prefix: checked(validatePrefix),
    stage: checked(validateStage),
    stackName: checked(validateStackName),
    stackId: z.string().min(1).max(2048).optional(),
    status: z.enum(['deploying', 'ready', 'failed']),
    statusReason: z.string().max(4096).optional(),
    outputs: z
      .record(z.string().max(255), z.string().max(4096))
      .refine(o => Object.keys(o).length <= 200, {
        message: 'at most 200 outputs are allowed',
      })
      .optional(),
    resources: z
      .record(z.string().max(255), z.number().int().nonnegative())
      .refine(r => Object.keys(r).length <= 500, {
        message: 'at most 500 resource types are allowed',
      })
      .optional(),
    templateName: z.string().min(1).max(255).optional(),
    templateVersion: z.string().min(1).max(64).optional(),
    protected: z.boolean().optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Validates the body of `POST /environments/{id}/extend`. */
export const extendExpiryRequestSchema = z
  .object({
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  })
  .strict();
