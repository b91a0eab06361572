import fs from 'node:fs';
import path from 'node:path';
import {
  MANIFEST_FILE,
  ManifestFunction,
  loadManifest,
} from '@stackyard/cdk-guardrails/manifest';
import { z } from 'zod';
import { loadHandlerExport } from '../cli/buildRoutes';
import { emulatorSettingsSchema } from '../cli/configSchema';
import type { LoadedApi } from '../cli/loadConfig';
import {
  LambdaStyleHandler,
  moduleIntegration,
} from '../integrations/moduleIntegration';
import type { Integration } from '../integrations/types';
import type { RouteDefinition } from '../types';
import { resolveHandler } from './resolveHandler';

/** `stackyard.yaml` itself, or the one in a directory. */
export function manifestFileOf(fileOrDir: string): string {
  const absolute = path.resolve(fileOrDir);
  return fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory()
    ? path.join(absolute, MANIFEST_FILE)
    : absolute;
}

function loadFunction(
  appDir: string,
  fn: ManifestFunction,
): LambdaStyleHandler {
  if (fn.code === undefined) {
    throw new Error(
      'its code is inline; the emulator runs functions from a "code" directory',
    );
  }
  const { file, exportName } = resolveHandler(
    path.resolve(appDir, fn.code),
    fn.handler,
  );
  return loadHandlerExport(file, exportName);
}

/**
 * Reads a service manifest with @stackyard/cdk-guardrails' loader (the one
 * schema of `stackyard.yaml`) and turns its `websocket` section into
 * emulator routes, and its `websocket.emulator` section (defaults filled
 * in) into the emulator's settings: each route runs its function's `handler` export from the
 * function's `code` directory, in-process. Routes are one-way, as the
 * deployed API's are (no route responses): handlers answer through
 * `@connections`.
 *
 * @param handlers - handlers to run instead of loading a function's code,
 *   by function name (e.g. a handler built with in-memory storage).
 * @throws ManifestError listing every schema problem (a route naming an
 *   unknown function among them), or Error naming each route whose
 *   function cannot be loaded.
 */
export function loadManifestApi(
  fileOrDir: string,
  handlers: Readonly<Record<string, LambdaStyleHandler>> = {},
): LoadedApi {
  const file = manifestFileOf(fileOrDir);
  const manifest = loadManifest(file);
  const websocket = manifest.websocket;
  if (!websocket) {
    throw new Error(
      `Service manifest ${file} has no "websocket" section: nothing to serve`,
    );
  }
  const functions = manifest.functions ?? {};
  const unknown = Object.keys(handlers).filter(name => !functions[name]);
  if (unknown.length > 0) {
    throw new Error(
      `Handlers given for functions ${file} does not declare: ${unknown
        .map(name => JSON.stringify(name))
        .join(', ')}`,
    );
  }
  const settings = emulatorSettingsSchema.safeParse(websocket.emulator ?? {});
  if (!settings.success) {
    throw new Error(
      `Invalid websocket.emulator in ${file}:\n${z.prettifyError(
        settings.error,
      )}`,
    );
  }
  const appDir = path.dirname(file);
  const integrations = new Map<string, Integration>();
  const routes: Record<string, RouteDefinition> = {};
  const problems: string[] = [];
  for (const [routeKey, name] of Object.entries(websocket.routes)) {
    let integration = integrations.get(name);
    if (!integration) {
      try {
        // One integration per function, shared by its routes, as one Lambda function is.
        integration = moduleIntegration({
          name,
          handler: handlers[name] ?? loadFunction(appDir, functions[name]),
        });
      } catch (error) {
        problems.push(
          `  websocket.routes.${routeKey}: function ${JSON.stringify(name)}: ${
            (error as Error).message
          }`,
        );
        continue;
      }
      integrations.set(name, integration);
    }
    routes[routeKey] = { integration, response: false };
  }
  if (problems.length > 0) {
    throw new Error(
      `Cannot serve the WebSocket API of ${file}:\n${problems.join('\n')}`,
    );
  }
  return {
    file,
    settings: {
      ...settings.data,
      routeSelectionExpression:
        websocket.routeSelectionExpression ?? '$request.body.action',
    },
    routes,
  };
}
