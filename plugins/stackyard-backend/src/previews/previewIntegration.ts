import { Integration, moduleIntegration } from '@stackyard/ws-emulator';
import type { InvokeResult } from './runtime';

/** The error a handler threw in the runner, as the emulator sees it. */
export class PreviewHandlerError extends Error {
  constructor(fn: string, error: { name: string; message: string }) {
    super(`${fn} failed: ${error.name}: ${error.message}`);
    this.name = 'PreviewHandlerError';
  }
}

/**
 * The integration of a route handled by one of the service's functions in
 * its local preview: the API Gateway event goes to the runner (started on
 * first use) and the handler's result comes back as a Lambda proxy result.
 * A handler that throws (or a runner that cannot start) fails the call the
 * way API Gateway fails a Lambda error: `Internal server error`.
 */
export function previewIntegration(options: {
  environmentId: string;
  fn: string;
  invoke(
    environmentId: string,
    fn: string,
    event: unknown,
  ): Promise<InvokeResult>;
}): Integration {
  const { environmentId, fn } = options;
  const integration = moduleIntegration({
    name: fn,
    handler: async event => {
      const outcome = await options.invoke(environmentId, fn, event);
      if (!outcome.ok) throw new PreviewHandlerError(fn, outcome.error);
      return outcome.result;
    },
  });
  return { ...integration, description: `preview:${fn}` };
}
