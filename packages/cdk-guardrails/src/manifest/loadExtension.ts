import { existsSync } from 'fs';
import { extname, resolve } from 'path';
import { ExtensionError } from './ExtensionError';
import type { ServiceManifest } from './schema';
import type { ServiceExtension } from './service';

function messageOf(error: unknown): string {
  // Not `instanceof Error`: errors of modules run in another realm (a test
  // runner's sandbox) fail that check.
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message.split('\n')[0] : String(error);
}

function exportedFunction(exports: unknown): Function | undefined {
  if (typeof exports === 'function') {
    return exports;
  }
  const named = exports as { default?: unknown; extend?: unknown } | null | undefined;
  if (typeof named?.default === 'function') {
    return named.default;
  }
  return typeof named?.extend === 'function' ? named.extend : undefined;
}

/**
 * Loads the extension module the manifest's `extension` key names, resolved
 * against the app directory, with `require`: compiled JavaScript, or
 * TypeScript when a TypeScript loader is registered. Its function is the
 * module's export, its `default` export or its `extend` export.
 *
 * @param appDir - the app directory
 * @param manifest - the service's manifest
 * @param manifestFile - the manifest's file, for messages
 * @returns the extension, failures wrapped in an {@link ExtensionError};
 *   undefined when the manifest declares none
 */
export function loadExtension(
  appDir: string,
  manifest: ServiceManifest,
  manifestFile: string,
): ServiceExtension | undefined {
  const name = manifest.extension;
  if (name === undefined) {
    return undefined;
  }
  const file = resolve(appDir, name);
  if (!existsSync(file)) {
    throw new ExtensionError(manifestFile, name, `cannot load ${file}: no such file`);
  }
  let exports: unknown;
  try {
    exports = require(file);
  } catch (e) {
    const hint = /\.c?ts$/.test(extname(file))
      ? ' (a TypeScript extension needs a TypeScript loader; or compile it to JavaScript)'
      : '';
    throw new ExtensionError(manifestFile, name, `cannot load ${file}: ${messageOf(e)}${hint}`, e);
  }
  const fn = exportedFunction(exports);
  if (!fn) {
    throw new ExtensionError(
      manifestFile,
      name,
      'must export a function (module.exports, a default export or an "extend" export) taking the service and its context',
    );
  }
  return (service, context) => {
    let returned: unknown;
    try {
      returned = fn(service, context);
    } catch (e) {
      throw new ExtensionError(manifestFile, name, `failed: ${messageOf(e)}`, e);
    }
    if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') {
      // Its outcome no longer matters; keep a late rejection from going unhandled.
      (returned as PromiseLike<unknown>).then(undefined, () => undefined);
      throw new ExtensionError(
        manifestFile,
        name,
        'returned a promise: an extension must add its constructs synchronously, before synthesis',
      );
    }
  };
}
