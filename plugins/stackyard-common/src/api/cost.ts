/**
 * Schemas of cost: the estimated monthly fixed cost of a stack before it is
 * deployed (AWS Price List) and its actual daily cost after (Cost Explorer).
 */
import { z } from 'zod';

const timestamp = (description: string) =>
  z.iso.datetime({ offset: true }).meta({ description });

export const costLineItemSchema = z
  .object({
    label: z.string().meta({ example: 'NAT gateway' }),
    count: z.number().nonnegative().meta({
      description:
        'How many: resources, tasks, vCPUs, GB or capacity units, as the label says.',
    }),
    unitMonthlyUsd: z.number().nonnegative().meta({
      description: 'Monthly cost of one, in USD (730 hours a month).',
    }),
    monthlyUsd: z.number().nonnegative(),
    logicalIds: z.array(z.string()).meta({
      description: 'The template resources the line prices.',
    }),
  })
  .meta({ id: 'CostLineItem', description: 'One priced line of an estimate.' });

export const unpricedResourceSchema = z
  .object({
    logicalId: z.string(),
    resourceType: z.string(),
    reason: z.string(),
  })
  .meta({
    id: 'UnpricedResource',
    description:
      'A resource with a fixed cost the estimate could not price, and why.',
  });

export const costEstimateSchema = z
  .object({
    region: z.string(),
    currency: z.literal('USD'),
    monthlyUsd: z.number().nonnegative().meta({
      description: 'Sum of the line items, rounded to cents.',
    }),
    lineItems: z.array(costLineItemSchema),
    unpriced: z.array(unpricedResourceSchema),
    summary: z.string().meta({
      example:
        'Estimated fixed cost: $65.70/month (NAT gateway 1 × $32.85, Application load balancer 1 × $16.43, …)',
    }),
  })
  .meta({
    id: 'CostEstimate',
    description:
      'The monthly fixed cost of a synthesized stack: hourly resources (NAT gateways, load balancers, database and cache nodes, Fargate tasks) and provisioned capacity, from the AWS Price List. Usage-based charges (requests, data transfer, storage growth) are not included.',
  });

export const storedEstimateSchema = z
  .object({
    stage: z.string(),
    target: z.string(),
    estimate: costEstimateSchema,
    estimatedAt: timestamp('When the deploy estimated it.'),
  })
  .meta({ id: 'StoredCostEstimate' });

export const estimateCostRequestSchema = z
  .object({
    entityRef: z.string().min(1),
    target: z.string().min(1),
    stage: z.string().min(1),
    template: z.record(z.string(), z.unknown()).meta({
      description: 'The synthesized CloudFormation template (JSON).',
    }),
  })
  .meta({ id: 'EstimateCostRequest' });

export const costRefreshStateSchema = z
  .enum(['ok', 'never', 'throttled', 'failed'])
  .meta({
    description:
      '`ok`: the last refresh read Cost Explorer; `never`: no refresh has run for the account yet; `throttled`: Cost Explorer kept throttling the last refresh after retries (the previous figures, if any, are shown); `failed`: the last refresh failed (`message` says why; e.g. access denied).',
  });

export const dailyCostSchema = z
  .object({
    date: z.string().meta({ example: '2026-11-29' }),
    usd: z.number(),
  })
  .meta({ id: 'DailyCost' });

export const actualCostSchema = z
  .object({
    state: costRefreshStateSchema,
    message: z.string().optional(),
    refreshedAt: timestamp('When Cost Explorer was last read.').optional(),
    days: z.array(dailyCostSchema).meta({
      description:
        'Daily unblended cost of the stack (its `stackyard:prefix` and `stackyard:stage` cost allocation tags), oldest first; days without cost are 0.',
    }),
    totalUsd: z.number(),
  })
  .meta({
    id: 'ActualCost',
    description: "An environment's actual cost over the last 30 days.",
  });

export const environmentCostSchema = z
  .object({
    estimate: storedEstimateSchema.optional(),
    actual: actualCostSchema.optional(),
  })
  .meta({
    id: 'EnvironmentCost',
    description:
      "An environment's estimated monthly fixed cost (from its last deploy) and, for aws targets, its actual cost.",
  });

export const costCenterTotalSchema = z
  .object({
    costCenter: z.string().meta({
      description: 'The `CostCenter`; `(none)` for environments without one.',
    }),
    totalUsd: z.number(),
    environments: z.number().int().nonnegative(),
  })
  .meta({ id: 'CostCenterTotal' });

export const costCenterTotalsResponseSchema = z
  .object({
    items: z.array(costCenterTotalSchema),
    days: z.number().int().positive(),
    refreshedAt: timestamp('The oldest refresh the totals include.').optional(),
    stale: z.array(z.string()).meta({
      description:
        'Accounts whose last refresh was throttled or failed (their previous figures are used).',
    }),
  })
  .meta({
    id: 'CostCenterTotals',
    description:
      'Actual cost of the last 30 days per cost center, over the environments Stackyard tracks in aws targets.',
  });

export type CostLineItem = z.infer<typeof costLineItemSchema>;
export type UnpricedResource = z.infer<typeof unpricedResourceSchema>;
export type CostEstimate = z.infer<typeof costEstimateSchema>;
export type StoredCostEstimate = z.infer<typeof storedEstimateSchema>;
/** `POST /cost/estimates` */
export type EstimateCostRequest = z.infer<typeof estimateCostRequestSchema>;
export type CostRefreshState = z.infer<typeof costRefreshStateSchema>;
export type DailyCost = z.infer<typeof dailyCostSchema>;
export type ActualCost = z.infer<typeof actualCostSchema>;
/** `GET /environments/{id}/cost` */
export type EnvironmentCost = z.infer<typeof environmentCostSchema>;
export type CostCenterTotal = z.infer<typeof costCenterTotalSchema>;
/** `GET /cost/centers` */
export type CostCenterTotalsResponse = z.infer<
  typeof costCenterTotalsResponseSchema
>;
