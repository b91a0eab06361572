import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CliConfig, cliConfigSchema } from './configSchema';
import { isServiceManifest, manifestToCliConfig } from './manifestAdapter';

/**
 * Reads a CLI config file (YAML or JSON), or a `stackyard.yaml` service
 * manifest's `websocket` section, and validates it.
 * @throws Error naming the file and every problem with its path.
 */
export async function loadConfig(
  file: string,
): Promise<{ config: CliConfig; baseDir: string }> {
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
    document = manifestToCliConfig(document as Record<string, unknown>);
  }
  const result = cliConfigSchema.safeParse(document);
  if (!result.success) {
    throw new Error(
      `Invalid config ${absolute}:\n${z.prettifyError(result.error)}`,
    );
  }
  return { config: result.data, baseDir: path.dirname(absolute) };
}
