import type { Page } from 'playwright-core';

/**
 * The signed-in user's Backstage token, taken from the app's own requests
 * to the backend, so a test can ask the backend's APIs what the UI did.
 */
export function captureBackendToken(page: Page): () => string {
  let token: string | undefined;
  page.on('request', request => {
    const header = request.headers().authorization;
    if (header?.startsWith('Bearer ') && request.url().includes('/api/')) {
      token = header.slice('Bearer '.length);
    }
  });
  return () => {
    if (!token) throw new Error('The app has not called the backend yet');
    return token;
  };
}
