import type { Page } from 'playwright-core';

/** Opens the portal and signs in with the guest provider. */
export async function signInAsGuest(page: Page, baseUrl: string) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'visible' });
}
