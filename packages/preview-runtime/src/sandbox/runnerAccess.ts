import { findPackage, packageClosure } from '@stackyard/cdk-guardrails/sandbox';
import { existsSync, readFileSync, realpathSync } from 'fs';
import { dirname, join, sep } from 'path';
import { buildRunner } from '../runnerBuild';

/**
 * The packages handler code may require as the Lambda Node.js runtime
 * provides them (the AWS SDK v3 clients the templates use), and the engines
 * the runner hosts.
 */
export const RUNTIME_MODULES = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-apigatewaymanagementapi',
  'dynalite',
] as const;

function packageRoot(name: string, from: string): string {
  let dir = from;
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name
  ) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the ${name} package directory`);
    dir = parent;
  }
  return dir;
}

/** The `node_modules` directory a package is installed in, as seen from `root`. */
function nodeModulesOf(name: string, root: string): string {
  const entry = require.resolve(name, { paths: [root] });
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
  const at = entry.lastIndexOf(marker);
  if (at < 0)
    throw new Error(`${name} is not installed in a node_modules directory`);
  return entry.slice(0, at + `${sep}node_modules`.length);
}

/** What a preview's runner may read, and where its handlers find the SDK. */
export interface RunnerCode {
  /** The runner's entry script. */
  readonly entry: string;
  /** Its arguments: the precompiled runner it loads, if any. */
  readonly args: string[];
  /** Directories it may read besides the checkout. */
  readonly read: string[];
  /** `NODE_PATH`: where `require('@aws-sdk/client-sqs')` finds the SDK. */
  readonly nodePath: string;
}

/** Build failures already warned about. */
const warned = new Set<string>();

/**
 * The code a runner reads: this package, the SDK clients and engines and the
 * packages they depend on, no other package of `node_modules`, nothing of the
 * repository. From a checkout the runner loads its modules precompiled to
 * JavaScript (`buildRunner`, into this package's `node_modules/.cache`);
 * `sourceEntry: 'sucrase'` has it compile its TypeScript itself with
 * `@backstage/cli`'s sucrase instead (then it also reads sucrase and
 * `@stackyard/cdk-guardrails`, linked, so outside `node_modules`), as does a
 * built package (its `dist`, and the guardrails' package).
 */
export function runnerCode(
  options: { sourceEntry?: 'precompiled' | 'sucrase' } = {},
): RunnerCode {
  // Walks up from this module, wherever a build put it.
  // eslint-disable-next-line no-restricted-syntax
  const here = __dirname;
  const root = realpathSync(packageRoot('@stackyard/preview-runtime', here));
  const modules = RUNTIME_MODULES.map(name => nodeModulesOf(name, root));
  const code = {
    entry: join(root, 'bin', 'preview-runner.js'),
    nodePath: [...new Set(modules.map(p => realpathSync(p)))].join(':'),
  };
  // The build directory is under `root`, which the runner reads anyway.
  const read = [root, ...packageClosure(RUNTIME_MODULES, root)];
  const fromSources = existsSync(join(root, 'src', 'runner', 'runnerMain.ts'));
  if (fromSources && options.sourceEntry !== 'sucrase') {
    try {
      const build = buildRunner({
        packageRoot: root,
        cacheDir: join(
          root,
          'node_modules',
          '.cache',
          'stackyard-preview-runner',
        ),
      });
      return { ...code, args: [build.main], read: [...new Set(read)] };
    } catch (error) {
      // Falls back to the runner compiling itself, as it did before there
      // was a build: previews still start (about 4 MiB larger each) where
      // the cache cannot be written, e.g. a read-only checkout.
      const reason = `the preview runner could not be precompiled, so it compiles its TypeScript itself: ${
        (error as Error).message
      }`;
      if (!warned.has(reason)) {
        warned.add(reason);
        process.emitWarning(reason, { code: 'STACKYARD_PREVIEW_RUNNER_BUILD' });
      }
    }
  }
  // The guardrails' sandbox pieces: the package, and the workspace link the
  // runner resolves it through (the link itself must be readable).
  const guardrails = findPackage('@stackyard/cdk-guardrails', root);
  if (!guardrails)
    throw new Error('@stackyard/cdk-guardrails is not installed');
  read.push(guardrails, realpathSync(guardrails));
  if (fromSources) {
    // The entry compiles TypeScript with @backstage/cli's sucrase.
    const cli = dirname(
      require.resolve('@backstage/cli/package.json', { paths: [root] }),
    );
    // Node 22 checks the resolver's read of the package.json it resolves.
    read.push(join(cli, 'package.json'), ...packageClosure(['sucrase'], cli));
  }
  return { ...code, args: [], read: [...new Set(read)] };
}
