/**
 * Asks a CloudFormation endpoint (the loopback one of the e2e account) for
 * one stack with the query protocol's DescribeStacks, the way the AWS SDK
 * does, and returns its status, or the error code when it is refused
 * (`ValidationError` for a stack that does not exist).
 */
export async function describeStackStatus(
  endpoint: string,
  stackName: string,
): Promise<{ status: string } | { error: string }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      Action: 'DescribeStacks',
      Version: '2010-05-15',
      StackName: stackName,
    }),
  });
  const text = await response.text();
  const pick = (tag: string) =>
    new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];
  if (!response.ok) {
    return { error: pick('Code') ?? `HTTP ${response.status}` };
  }
  const status = pick('StackStatus');
  if (!status) {
    throw new Error(`DescribeStacks of ${stackName} named no status: ${text}`);
  }
  return { status };
}

/**
 * Creates a stack with CreateStack, as a service's CI deploying outside the
 * portal would, with its template and tags; returns the stack id.
 */
export async function createStack(
  endpoint: string,
  stack: {
    name: string;
    template: object;
    tags: Record<string, string>;
  },
): Promise<string> {
  const params = new URLSearchParams({
    Action: 'CreateStack',
    Version: '2010-05-15',
    StackName: stack.name,
    TemplateBody: JSON.stringify(stack.template),
  });
  Object.entries(stack.tags).forEach(([key, value], i) => {
    params.set(`Tags.member.${i + 1}.Key`, key);
    params.set(`Tags.member.${i + 1}.Value`, value);
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: params,
  });
  const text = await response.text();
  const stackId = /<StackId>([^<]*)<\/StackId>/.exec(text)?.[1];
  if (!response.ok || !stackId) {
    throw new Error(`CreateStack ${stack.name}: ${response.status} ${text}`);
  }
  return stackId;
}
