import { readFileSync } from 'fs';
import { relative, sep } from 'path';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Finding } from '../policy/types';
import type { SourceLocation } from './reportInput';

/** A path as a SARIF artifact URI: relative to `cwd`, `/`-separated. */
export function artifactUri(file: string, cwd: string = process.cwd()): string {
  return relative(cwd, file).split(sep).join('/');
}

/**
 * Manifest sections whose entries build constructs named after them
 * (`buildService`): `functions.worker` → `Worker`, `queues.jobs` →
 * `JobsQueue`, ...; single sections by their construct ID.
 */
const NAMED_SECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['functions', ''],
  ['queues', 'Queue'],
  ['tables', 'Table'],
  ['databases', 'Database'],
  ['caches', 'Cache'],
  ['containers', 'Container'],
];
const SINGLE_SECTIONS: Readonly<Record<string, string>> = {
  WebSocket: 'websocket',
  Http: 'http',
  Network: 'network',
  Alarms: 'alarms',
};

function pascal(name: string): string {
  return name
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** Lines of the manifest's keys: construct ID → line. */
function manifestLines(text: string): { byConstruct: Map<string, number>; byKey: Map<string, number> } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, logLevel: 'silent' });
  const byConstruct = new Map<string, number>();
  const byKey = new Map<string, number>();
  const lineOf = (node: unknown) =>
    isScalar(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  if (!isMap(doc.contents)) return { byConstruct, byKey };
  for (const section of doc.contents.items) {
    const key = isScalar(section.key) ? String(section.key.value) : undefined;
    const line = lineOf(section.key);
    if (key === undefined || line === undefined) continue;
    byKey.set(key, line);
    const suffix = NAMED_SECTIONS.find(([name]) => name === key)?.[1];
    if (suffix !== undefined && isMap(section.value)) {
      for (const entry of section.value.items) {
        const entryLine = lineOf(entry.key);
        if (isScalar(entry.key) && entryLine !== undefined) {
          byConstruct.set(`${pascal(String(entry.key.value))}${suffix}`, entryLine);
        }
      }
    }
  }
  for (const [id, key] of Object.entries(SINGLE_SECTIONS)) {
    const line = byKey.get(key);
    if (line !== undefined) byConstruct.set(id, line);
  }
  return { byConstruct, byKey };
}

/**
 * Locates findings of a manifest-built service: a resource built from a
 * manifest entry is at that entry's line of `stackyard.yaml`; any other
 * resource is in the manifest's extension module (the CDK source) when it
 * has one, else at the manifest's `service` key.
 */
export function manifestLocator(options: {
  /** The manifest file. */
  readonly manifestFile: string;
  /** The extension module the manifest names, as a file path. */
  readonly extensionFile?: string;
  /** What URIs are relative to. @default process.cwd() */
  readonly cwd?: string;
}): (finding: Finding) => SourceLocation {
  let lines: ReturnType<typeof manifestLines>;
  try {
    lines = manifestLines(readFileSync(options.manifestFile, 'utf8'));
  } catch {
    lines = { byConstruct: new Map(), byKey: new Map() };
  }
  const manifest = artifactUri(options.manifestFile, options.cwd);
  return finding => {
    const id = finding.path?.split('/')[0];
    const line = id !== undefined ? lines.byConstruct.get(id) : undefined;
    if (line !== undefined) return { uri: manifest, line };
    if (options.extensionFile !== undefined) {
      return { uri: artifactUri(options.extensionFile, options.cwd), line: 1 };
    }
    return { uri: manifest, line: lines.byKey.get('service') ?? 1 };
  };
}

/**
 * Locates findings of checked template files: the template a stack came
 * from, at the line that declares the resource's logical ID.
 */
export function templateLocator(
  sources: ReadonlyMap<string, string>,
  cwd: string = process.cwd(),
): (finding: Finding) => SourceLocation {
  const texts = new Map<string, string[]>();
  return finding => {
    const file = sources.get(finding.stack);
    if (file === undefined) return { uri: finding.stack, line: 1 };
    if (!texts.has(file)) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // located at line 1
      }
      texts.set(file, text.split('\n'));
    }
    const key = JSON.stringify(finding.logicalId);
    const index = texts
      .get(file)!
      .findIndex(l => l.includes(`${key}:`) || l.trimStart().startsWith(`${finding.logicalId}:`));
    return { uri: artifactUri(file, cwd), line: index === -1 ? 1 : index + 1 };
  };
}
