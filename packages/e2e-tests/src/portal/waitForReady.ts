import type { ChildProcess } from 'node:child_process';

/**
 * Polls `url` until it answers 200. Fails early, with the exit code, if the
 * process that should serve it exits first.
 */
export async function waitForReady(
  url: string,
  server: ChildProcess,
  { timeoutMs, intervalMs = 500 }: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(
        `The server exited with code ${server.exitCode} before ${url} was ready`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${lastError}`);
}
