import type { Page } from 'playwright-core';

/** A resource as CloudFormation's ListStackResources reports it. */
export type CloudFormationResource = {
  logicalId: string;
  type: string;
  physicalId: string;
  status: string;
};

/**
 * Shows an environment as a stack in AWS: its answers get an account,
 * region and stack id, and its resource list becomes the given
 * CloudFormation listing. The e2e portal has only the `local` target (no
 * AWS to deploy to), so this is how the tab's AWS console links are seen in
 * a browser; the backend's reading of CloudFormation is tested against a
 * loopback endpoint in the backend package.
 */
export async function asAwsStack(
  page: Page,
  stack: {
    stackName: string;
    accountId: string;
    region: string;
    resources: CloudFormationResource[];
  },
) {
  const ids = new Set<string>();
  const patch = (env: { id: string; stackName: string }) => {
    if (env.stackName !== stack.stackName) return env;
    ids.add(env.id);
    return {
      ...env,
      target: 'e2e-aws',
      targetType: 'aws',
      accountId: stack.accountId,
      region: stack.region,
      stackId: `arn:aws:cloudformation:${stack.region}:${stack.accountId}:stack/${stack.stackName}/e2e`,
    };
  };
  await page.route(
    /\/api\/stackyard\/environments(\/[^/?]+)?(\/resources)?(\?.*)?$/,
    async route => {
      const url = new URL(route.request().url());
      const resourcesOf = /\/environments\/([^/]+)\/resources$/.exec(
        url.pathname,
      )?.[1];
      if (route.request().method() !== 'GET') {
        await route.continue();
        return;
      }
      if (resourcesOf && ids.has(resourcesOf)) {
        await route.fulfill({
          json: {
            source: 'cloudformation',
            fetchedAt: new Date().toISOString(),
            items: stack.resources,
          },
        });
        return;
      }
      const response = await route.fetch();
      if (resourcesOf) {
        await route.fulfill({ response });
        return;
      }
      const body = await response.json();
      let patched = body;
      if (body.items) patched = { ...body, items: body.items.map(patch) };
      else if (body.environment) {
        patched = { ...body, environment: patch(body.environment) };
      }
      await route.fulfill({ response, json: patched });
    },
  );
}
