import { ConflictError } from '@backstage/errors';
import { refuseNothingToRun } from './nothingToRun';
import type { RunningPreview, StartPreviewOptions } from './runtime';

const optionsWith = (manifest: unknown): StartPreviewOptions => ({
  checkoutDir: '/nowhere',
  template: {},
  manifest,
  workDir: '/nowhere/data',
});

describe('refuseNothingToRun', () => {
  it('starts no runner for a service of containers only, and says why', async () => {
    const start = jest.fn();
    const refused = refuseNothingToRun(start)(
      optionsWith({
        service: { name: 'boxes' },
        containers: { api: {}, worker: {} },
        databases: { main: {} },
        caches: { jobs: {} },
      }),
    );
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(
      'Nothing to run: the service has no functions, and a local preview runs functions only (its containers api, worker; databases main; caches jobs are not run locally)',
    );
    expect(start).not.toHaveBeenCalled();
  });

  it('starts the runner of a service with functions, containers or not', async () => {
    const running = { pid: 1 } as RunningPreview;
    const start = jest.fn(async () => running);
    const options = optionsWith({
      functions: { intake: {} },
      containers: { api: {} },
    });
    await expect(refuseNothingToRun(start)(options)).resolves.toBe(running);
    expect(start).toHaveBeenCalledWith(options);
  });
});
