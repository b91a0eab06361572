import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { join, relative } from 'path';
import { childEnv, run } from './run';
import type { WorkspacePackage } from './workspacePackages';

/** A package packed into a tarball. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The tarball's file name (`stackyard-cdk-guardrails-0.1.0.tgz`). */
  readonly file: string;
  /** Its workspace dependencies, packed alongside. */
  readonly dependencies: readonly string[];
}

const DEPENDENCY_GROUPS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

/**
 * Builds `packages` (declarations by tsc, then `backstage-cli package
 * build`) and packs each as it would be published: a copy of its published
 * files is prepared by `backstage-cli package prepack` (entry points and
 * `publishConfig` pointing at `dist`), its workspace dependencies' `*` ranges
 * become `^<version>`, and `npm pack` writes the tarball to `outDir`. The
 * packages' own package.json files are never modified. `workDir` (inside the
 * monorepo, where backstage-cli finds its root tsconfig) is scratch space.
 */
export async function buildPacks(options: {
  root: string;
  packages: readonly WorkspacePackage[];
  workDir: string;
  outDir: string;
  log: (message: string) => void;
}): Promise<PackedPackage[]> {
  const { root, packages, workDir, outDir, log } = options;
  const node = process.execPath;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const backstageCli = require.resolve('@backstage/cli/bin/backstage-cli', {
    paths: [root],
  });
  const env = childEnv();
  mkdirSync(workDir, { recursive: true });
  mkdirSync(outDir, { recursive: true });

  log(`Building declarations of ${packages.map(p => p.name).join(', ')} (tsc)`);
  const tsconfig = join(workDir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      include: packages.map(p => join(p.dir, 'src')),
      exclude: ['**/*.test.ts', '**/*.test.tsx', '**/__testUtils__/**'],
      compilerOptions: {
        outDir: join(root, 'dist-types'),
        rootDir: root,
        incremental: false,
      },
    }),
  );
  const declarations = async () => {
    try {
      await run(node, [tsc, '--project', tsconfig], { cwd: root, env });
    } catch {
      // Type errors are the type check's to report; tsc still wrote the
      // declarations, and the build below fails on any that are missing.
    }
  };
  const build = async () => {
    for (const pkg of packages) {
      log(`Building ${pkg.name} (backstage-cli package build)`);
      await run(node, [backstageCli, 'package', 'build'], {
        cwd: pkg.dir,
        env,
      });
    }
  };
  // dist-types/ is shared with the API reports, which clear their packages'
  // declarations first: a run of theirs may remove ours after tsc wrote them.
  for (let attempt = 1; ; attempt++) {
    await declarations();
    try {
      await build();
      break;
    } catch (error) {
      const removed =
        /No declaration files found|Could not resolve entry module/.test(
          String(error),
        );
      if (!removed || attempt === 3) throw error;
      log('Declarations were removed meanwhile; building them again');
    }
  }

  const packed: PackedPackage[] = [];
  await Promise.all(
    packages.map(async pkg => {
      const stage = join(workDir, 'stage', relative(root, pkg.dir));
      const json = JSON.parse(
        readFileSync(join(pkg.dir, 'package.json'), 'utf8'),
      );
      mkdirSync(stage, { recursive: true });
      for (const entry of [
        'package.json',
        'README.md',
        'LICENSE',
        ...(json.files ?? []),
      ]) {
        const from = join(pkg.dir, entry);
        if (existsSync(from))
          cpSync(from, join(stage, entry), { recursive: true });
      }
      await run(node, [backstageCli, 'package', 'prepack'], {
        cwd: stage,
        env,
      });
      const prepared = JSON.parse(
        readFileSync(join(stage, 'package.json'), 'utf8'),
      );
      for (const group of DEPENDENCY_GROUPS) {
        for (const dep of Object.keys(prepared[group] ?? {})) {
          const local = packages.find(p => p.name === dep);
          if (local && prepared[group][dep] === '*') {
            prepared[group][dep] = `^${local.version}`;
          }
        }
      }
      writeFileSync(
        join(stage, 'package.json'),
        `${JSON.stringify(prepared, null, 2)}\n`,
      );
      rmSync(join(stage, 'package.json-prepack'), { force: true });
      const result = JSON.parse(
        await run(
          'npm',
          ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir],
          { cwd: stage, env },
        ),
      );
      log(`Packed ${result[0].filename}`);
      packed.push({
        name: pkg.name,
        version: pkg.version,
        file: result[0].filename,
        dependencies: pkg.workspaceDependencies,
      });
    }),
  );
  // In the packages' order: each after its dependencies.
  return packages.map(pkg => packed.find(p => p.name === pkg.name)!);
}
