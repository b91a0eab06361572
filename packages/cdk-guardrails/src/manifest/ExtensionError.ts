import { ManifestError } from './ManifestError';

/**
 * Thrown when the extension module a manifest declares cannot be loaded, does
 * not export a function, or fails while extending the stack. It is a
 * {@link ManifestError} (of the `extension` key), so callers that treat bad
 * manifests as bad input treat a bad extension the same way.
 */
export class ExtensionError extends ManifestError {
  /** The extension module as the manifest names it. */
  readonly extension: string;

  constructor(file: string, extension: string, message: string, cause?: unknown) {
    super(file, [{ path: 'extension', message }]);
    this.name = 'ExtensionError';
    this.extension = extension;
    this.message = `service extension ${JSON.stringify(extension)} (declared in ${file}): ${message}`;
    this.cause = cause;
  }
}
