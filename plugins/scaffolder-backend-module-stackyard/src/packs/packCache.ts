import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { basename, join } from 'path';
import { buildPacks, type PackedPackage } from './buildPacks';
import { withLock } from './cacheLock';
import { sourceHash } from './sourceHash';
import {
  type WorkspacePackage,
  listWorkspacePackages,
  packageClosure,
} from './workspacePackages';

/** Tarballs of workspace packages, built from one state of their sources. */
export interface PackSet {
  /** The cache key: a hash of the packages' versions and sources. */
  readonly key: string;
  /** The directory holding the tarballs. */
  readonly dir: string;
  readonly packages: readonly PackedPackage[];
}

/** Where packs are cached unless told otherwise. */
export function defaultPackCacheDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'stackyard-packs');
}

// Bump when the way packs are made changes, so older packs are not reused.
const PACK_FORMAT = 1;
const KEEP_OLD_PACKS_MS = 60 * 60_000;

const inFlight = new Map<string, Promise<PackSet>>();

function readPackSet(dir: string): PackSet | undefined {
  const index = join(dir, 'packs.json');
  if (!existsSync(index)) return undefined;
  const set = JSON.parse(readFileSync(index, 'utf8')) as PackSet;
  const complete = set.packages.every(p => existsSync(join(dir, p.file)));
  return complete ? { ...set, dir } : undefined;
}

/**
 * Removes packs of older sources (leaving recent ones to readers still
 * copying them) and work directories of interrupted builds.
 */
function pruneOldPacks(cacheDir: string, keep: string, current: string) {
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const path = join(cacheDir, entry.name);
    // Only the lock holder builds, so any other work directory is a leftover.
    const leftover = entry.name.startsWith('.work-') && entry.name !== current;
    const old =
      !entry.name.startsWith('.') &&
      Date.now() - statSync(path).mtimeMs > KEEP_OLD_PACKS_MS;
    if (leftover || old) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The packs of `names` and the workspace packages they depend on, built and
 * packed once per state of their sources and cached in `cacheDir` (keyed by
 * their versions and a hash of their sources), so that only the first call
 * after a change pays for the build (a minute or less).
 */
export async function ensurePacks(options: {
  root: string;
  names: readonly string[];
  cacheDir?: string;
  log?: (message: string) => void;
}): Promise<PackSet> {
  const { root } = options;
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? defaultPackCacheDir(root);
  const packages: WorkspacePackage[] = packageClosure(
    options.names,
    listWorkspacePackages(root),
  );
  const key = `v${PACK_FORMAT}-${sourceHash(packages, [
    join(root, 'tsconfig.json'),
  ]).slice(0, 20)}`;
  const dir = join(cacheDir, key);
  const cached = readPackSet(dir);
  if (cached) return cached;
  let pending = inFlight.get(dir);
  if (!pending) {
    pending = (async () => {
      mkdirSync(cacheDir, { recursive: true });
      return withLock(cacheDir, log, async () => {
        const done = readPackSet(dir);
        if (done) return done;
        const started = Date.now();
        log(
          `Packing ${packages
            .map(p => `${p.name}@${p.version}`)
            .join(
              ', ',
            )}: up to a minute, once per change of their sources (npm run pack:stackyard does it ahead)`,
        );
        const work = join(
          cacheDir,
          `.work-${process.pid}-${Date.now().toString(36)}`,
        );
        try {
          const packed = await buildPacks({
            root,
            packages,
            workDir: join(work, 'build'),
            outDir: join(work, 'packs'),
            log,
          });
          const set = { key, packages: packed };
          writeFileSync(
            join(work, 'packs', 'packs.json'),
            `${JSON.stringify(set, null, 2)}\n`,
          );
          rmSync(dir, { recursive: true, force: true });
          renameSync(join(work, 'packs'), dir);
          log(`Packed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
          pruneOldPacks(cacheDir, key, basename(work));
          return { ...set, dir };
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      });
    })().finally(() => inFlight.delete(dir));
    inFlight.set(dir, pending);
  }
  return pending;
}
