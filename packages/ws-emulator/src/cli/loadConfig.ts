import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadManifestApi } from '../manifest/manifestApi';
import type { RouteDefinition } from '../types';
import { buildRoutes } from './buildRoutes';
import { EmulatorSettings, cliConfigSchema } from './configSchema';

/** What the CLI serves: the emulator's settings and its routes. */
export interface LoadedApi {
  /** The file the API came from. */
  readonly file: string;
  readonly settings: EmulatorSettings;
  readonly routes: Record<string, RouteDefinition>;
}

/** A `stackyard.yaml` service manifest rather than a CLI config. */
function isServiceManifest(document: unknown): boolean {
  return (
    typeof document === 'object' &&
    document !== null &&
    !('routes' in document) &&
    ('service' in document || 'websocket' in document)
  );
}

/**
 * Reads a CLI config file (YAML or JSON) and builds its routes; a
 * `stackyard.yaml` service manifest is read by {@link loadManifestApi}.
 * @throws Error naming the file and every problem with its path.
 */
export async function loadConfig(file: string): Promise<LoadedApi> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read config ${absolute}: ${(error as Error).message}`,
    );
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(
      `Config ${absolute} is not valid YAML or JSON: ${
        (error as Error).message
      }`,
    );
  }
  if (isServiceManifest(document)) {
    return loadManifestApi(absolute);
  }
  const result = cliConfigSchema.safeParse(document);
  if (!result.success) {
    throw new Error(
      `Invalid config ${absolute}:\n${z.prettifyError(result.error)}`,
    );
  }
  const { routes: _routes, lambda: _lambda, ...settings } = result.data;
  return {
    file: absolute,
    settings,
    routes: buildRoutes(result.data, path.dirname(absolute)),
  };
}
