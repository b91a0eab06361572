import type { Page } from 'playwright-core';

/**
 * Records every console error and uncaught exception of a page, so a test
 * can assert that the app logged none.
 */
export function recordConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', message => {
    if (message.type() === 'error') {
      const where = message.location().url;
      errors.push(`${message.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', error => errors.push(`Uncaught: ${error.message}`));
  return errors;
}
