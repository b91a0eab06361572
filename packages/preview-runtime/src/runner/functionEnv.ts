import type { EnvValue, FunctionPlan, PreviewPlan } from '../plan/types';

/** Where the runner's engines listen, and what names resolve to. */
export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
}

function resolveValue(
  value: EnvValue,
  plan: PreviewPlan,
  endpoints: LocalEndpoints,
): string {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${plan.region}:${plan.accountId}:${resource}`;
  return value
    .map(part => {
      if (typeof part === 'string') return part;
      if ('queue' in part) {
        if (part.attribute === 'url')
          return `${endpoints.sqs}/${plan.accountId}/${part.queue}`;
        if (part.attribute === 'arn') return arn('sqs', part.queue);
        return part.queue;
      }
      return part.attribute === 'arn'
        ? arn('dynamodb', `table/${part.table}`)
        : part.table;
    })
    .join('');
}

/**
 * The environment of one function, as Lambda gives it and the preview needs
 * it: the extra variables of every function, then the template's (queue and
 * table references resolved to the local engines), then what Lambda reserves
 * (function name, memory, region, endpoints), which neither may override.
 * The credentials are dummies unless the extra variables give some (the
 * portal gives each runner a key its `@connections` API accepts): the
 * engines check none, and no real ones exist here.
 */
export function functionEnv(
  fn: FunctionPlan,
  plan: PreviewPlan,
  endpoints: LocalEndpoints,
  extra: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string>>,
): Record<string, string> {
  const template = Object.fromEntries(
    Object.entries(fn.environment).map(([k, v]) => [
      k,
      resolveValue(v, plan, endpoints),
    ]),
  );
  return {
    ...base,
    ...extra,
    ...template,
    AWS_REGION: plan.region,
    AWS_DEFAULT_REGION: plan.region,
    AWS_ACCESS_KEY_ID: extra.AWS_ACCESS_KEY_ID ?? 'preview',
    AWS_SECRET_ACCESS_KEY: extra.AWS_SECRET_ACCESS_KEY ?? 'preview',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${
      process.versions.node.split('.')[0]
    }.x`,
    LAMBDA_TASK_ROOT: fn.codeDir,
  };
}
