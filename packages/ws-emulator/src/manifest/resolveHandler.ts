import fs from 'node:fs';
import path from 'node:path';

/** The file extensions Lambda's Node.js runtime tries, in its order. */
const EXTENSIONS = ['.js', '.mjs', '.cjs'];
/** `<module>.<export>`: the module is everything before the first dot of the last path segment. */
const HANDLER = /^([^.]+)\.([A-Za-z_$][\w$]*)$/;

/** Where a Lambda function's handler lives. */
export interface ResolvedHandler {
  /** Absolute path of the module file. */
  readonly file: string;
  /** The export to call. */
  readonly exportName: string;
}

/**
 * Resolves a Lambda `handler` setting as the Node.js runtime does:
 * `index.handler` with code directory `functions/chat` is the export
 * `handler` of `functions/chat/index.js` (or `.mjs`, `.cjs`);
 * `src/app.main` is `main` of `src/app.js` in the code directory.
 * @throws Error quoting the handler or the files it looked for.
 */
export function resolveHandler(
  codeDir: string,
  handler: string,
): ResolvedHandler {
  const slash = handler.lastIndexOf('/');
  const match = HANDLER.exec(handler.slice(slash + 1));
  if (!match) {
    throw new Error(
      `handler ${JSON.stringify(
        handler,
      )} must look like "<file>.<export>", e.g. "index.handler"`,
    );
  }
  const base = path.resolve(codeDir, handler.slice(0, slash + 1) + match[1]);
  const file = EXTENSIONS.map(ext => base + ext).find(candidate =>
    fs.statSync(candidate, { throwIfNoEntry: false })?.isFile(),
  );
  if (!file) {
    throw new Error(
      `handler ${JSON.stringify(handler)} needs ${base}${EXTENSIONS.join(
        ', ',
      )} (none exists)`,
    );
  }
  return { file, exportName: match[2] };
}
