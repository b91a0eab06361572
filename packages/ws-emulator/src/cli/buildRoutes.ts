import { createRequire } from 'node:module';
import path from 'node:path';
import { httpIntegration } from '../integrations/httpIntegration';
import { lambdaIntegration } from '../integrations/lambdaIntegration';
import {
  LambdaStyleHandler,
  moduleIntegration,
} from '../integrations/moduleIntegration';
import { workerIntegration } from '../integrations/workerIntegration';
import type { RouteDefinition } from '../types';
import type { CliConfig } from './configSchema';

/**
 * Loads the function export `name` of the module `file` (absolute).
 * CommonJS and ES modules (without top-level await) load; `.ts` files load
 * when a TypeScript require hook is registered (the `stackyard-ws` bin
 * registers one when running from source).
 */
export function loadHandlerExport(
  file: string,
  name: string,
): LambdaStyleHandler {
  const load = createRequire(file);
  let exports: Record<string, unknown>;
  try {
    exports = load(file);
  } catch (error) {
    throw new Error(
      `Cannot load handler module ${JSON.stringify(file)}: ${
        (error as Error).message
      }`,
    );
  }
  const handler =
    exports[name] ??
    (exports.default as Record<string, unknown> | undefined)?.[name];
  if (typeof handler !== 'function') {
    throw new Error(
      `Handler module ${JSON.stringify(
        file,
      )} has no function export ${JSON.stringify(name)}`,
    );
  }
  return handler as LambdaStyleHandler;
}

/** Loads `<path>#<export>`, the path relative to `baseDir`. */
export function loadModuleHandler(
  spec: string,
  baseDir: string,
): LambdaStyleHandler {
  const hash = spec.lastIndexOf('#');
  return loadHandlerExport(
    path.resolve(baseDir, spec.slice(0, hash)),
    spec.slice(hash + 1),
  );
}

/** Builds emulator routes from CLI route configs. */
export function buildRoutes(
  config: CliConfig,
  baseDir: string,
): Record<string, RouteDefinition> {
  const routes: Record<string, RouteDefinition> = {};
  for (const [key, route] of Object.entries(config.routes)) {
    let integration;
    if ('module' in route && route.workers) {
      const hash = route.module.lastIndexOf('#');
      integration = workerIntegration({
        name: route.module,
        module: path.resolve(baseDir, route.module.slice(0, hash)),
        export: route.module.slice(hash + 1),
        workers: route.workers,
      });
    } else if ('module' in route) {
      integration = moduleIntegration({
        name: route.module,
        handler: loadModuleHandler(route.module, baseDir),
      });
    } else if ('http' in route) {
      integration = httpIntegration({
        url: route.http,
        headers: route.headers,
      });
    } else {
      integration = lambdaIntegration({
        functionName: route.lambda,
        qualifier: route.qualifier,
        endpoint: config.lambda?.endpoint,
        region: config.lambda?.region,
      });
    }
    routes[key] = { integration, response: route.response ?? false };
  }
  return routes;
}
