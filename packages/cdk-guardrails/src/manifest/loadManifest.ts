import { readFileSync } from 'fs';
import { LineCounter, isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { ManifestError, ManifestIssue } from './ManifestError';
import { crossCheck } from './crossCheck';
import { ServiceManifest, manifestSchema } from './schema';

/** The manifest's file name inside an app directory. */
export const MANIFEST_FILE = 'stackyard.yaml';

type Path = readonly PropertyKey[];

function keyNode(doc: Document, path: Path, key: string): Node | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
  if (!isMap(parent)) {
    return undefined;
  }
  const pair = parent.items.find(
    p => isPair(p) && isScalar(p.key) && String(p.key.value) === key,
  );
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function locate(
  doc: Document,
  counter: LineCounter,
  path: Path,
  key?: string,
): { line?: number; column?: number } {
  let node: Node | undefined;
  if (key !== undefined) {
    node = keyNode(doc, path, key);
  } else if (path.length > 0) {
    node =
      keyNode(doc, path.slice(0, -1), String(path[path.length - 1])) ??
      (doc.getIn(path as unknown[], true) as Node | undefined);
  }
  if (!node?.range) {
    return {};
  }
  const { line, col } = counter.linePos(node.range[0]);
  return { line, column: col };
}

// The bad value, quoted after the message, when it is a scalar.
function quoteInput(input: unknown): string {
  if (input === undefined || (input !== null && typeof input === 'object')) {
    return '';
  }
  const text = JSON.stringify(input) ?? String(input);
  return ` (got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}

function joinPath(path: Path, key?: string): string {
  return [...path, ...(key !== undefined ? [key] : [])]
    .map(p => String(p))
    .join('.');
}

/**
 * Parses and validates the text of a service manifest. Throws a
 * {@link ManifestError} listing every problem with the path of the bad key
 * and, where the YAML has one, its line and column.
 *
 * @param text - the YAML text
 * @param file - the file name used in messages
 */
export function parseManifest(text: string, file = MANIFEST_FILE): ServiceManifest {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ManifestError(
      file,
      doc.errors.map(e => {
        const pos = e.linePos?.[0];
        return { path: '', line: pos?.line, column: pos?.col, message: e.message.split('\n')[0] };
      }),
    );
  }
  const result = manifestSchema.safeParse(doc.toJS(), { reportInput: true });
  if (!result.success) {
    const issues: ManifestIssue[] = result.error.issues.flatMap(issue => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map(key => ({
          path: joinPath(issue.path, key),
          ...locate(doc, counter, issue.path, key),
          message: `unknown key ${JSON.stringify(key)}`,
        }));
      }
      return [{
        path: joinPath(issue.path),
        ...locate(doc, counter, issue.path),
        message: `${issue.message}${quoteInput(issue.input)}`,
      }];
    });
    throw new ManifestError(file, issues);
  }
  const problems = crossCheck(result.data);
  if (problems.length > 0) {
    throw new ManifestError(
      file,
      problems.map(p => ({
        path: joinPath(p.path),
        ...locate(doc, counter, p.path),
        message: p.message,
      })),
    );
  }
  return result.data;
}

/** Reads, parses and validates a service manifest file; see {@link parseManifest}. */
export function loadManifest(file: string): ServiceManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(file, [
      { path: '', message: `cannot read the manifest: ${(e as Error).message}` },
    ]);
  }
  return parseManifest(text, file);
}
