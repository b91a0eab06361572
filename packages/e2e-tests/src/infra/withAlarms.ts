import type { Page } from 'playwright-core';

type Alarm = {
  name: string;
  type: 'metric' | 'composite';
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
};

/**
 * Adds alarms, by stack name, to the stackyard backend's real answers
 * (the environment list and environment details): local previews have no
 * CloudWatch for the reconciler to read them from.
 */
export async function withAlarms(page: Page, alarms: Record<string, Alarm[]>) {
  await page.route(
    /\/api\/stackyard\/environments(\/[^/?]+)?(\?.*)?$/,
    async route => {
      if (route.request().method() !== 'GET') {
        await route.continue();
        return;
      }
      const response = await route.fetch();
      const body = await response.json();
      const add = (env: { stackName: string; alarms: Alarm[] }) => ({
        ...env,
        alarms: [...env.alarms, ...(alarms[env.stackName] ?? [])],
      });
      let patched = body;
      if (body.items) patched = { ...body, items: body.items.map(add) };
      else if (body.environment) {
        patched = { ...body, environment: add(body.environment) };
      }
      await route.fulfill({ response, json: patched });
    },
  );
}
