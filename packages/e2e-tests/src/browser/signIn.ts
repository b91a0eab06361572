import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../portal/paths';

/** Opens the portal and signs in with the guest provider. */
export async function signInAsGuest(page: Page, baseUrl: string) {
  await page.goto(baseUrl);
  try {
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Catalog', exact: true })
      .waitFor({ state: 'visible' });
  } catch (error) {
    await page.screenshot({
      path: resolve(artifactsDir, 'sign-in-failed.png'),
    });
    throw error;
  }
}
