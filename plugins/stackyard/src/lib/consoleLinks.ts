import type { Environment } from '@stackyard/plugin-stackyard-common';

type Located = Pick<
  Environment,
  'targetType' | 'region' | 'stackId' | 'stackName'
>;

function consoleBase(env: Located, service: string): string | undefined {
  if (env.targetType !== 'aws' || !env.region) return undefined;
  const region = encodeURIComponent(env.region);
  return `https://${region}.console.aws.amazon.com/${service}/home?region=${region}`;
}

type StackTab = 'stackinfo' | 'resources' | 'events' | 'outputs';

/** The CloudFormation console page of the environment's stack; undefined for local previews. */
export function stackConsoleUrl(
  env: Located,
  tab: StackTab = 'stackinfo',
): string | undefined {
  const base = consoleBase(env, 'cloudformation');
  if (!base) return undefined;
  const stack = encodeURIComponent(env.stackId ?? env.stackName);
  return `${base}#/stacks/${tab}?stackId=${stack}`;
}

/** The CloudWatch console page of one alarm; undefined for local previews. */
export function alarmConsoleUrl(
  env: Located,
  alarmName: string,
): string | undefined {
  const base = consoleBase(env, 'cloudwatch');
  if (!base) return undefined;
  return `${base}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}
