import {
  findPackage,
  packageClosure,
} from '@stackyard/cdk-guardrails/sandbox';
import { existsSync, readFileSync, realpathSync } from 'fs';
import { dirname, join, sep } from 'path';

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
  /** Directories it may read besides the checkout. */
  readonly read: string[];
  /** `NODE_PATH`: where `require('@aws-sdk/client-sqs')` finds the SDK. */
  readonly nodePath: string;
}

/**
 * The code a runner reads: this package, the SDK clients and engines and the
 * packages they depend on (and sucrase's when running from source), and
 * `@stackyard/cdk-guardrails` for its sandbox pieces (linked, so outside
 * `node_modules`). No other package of `node_modules`, nothing of the repository.
 */
export function runnerCode(): RunnerCode {
  // Walks up from this module, wherever a build put it.
  // eslint-disable-next-line no-restricted-syntax
  const here = __dirname;
  const root = realpathSync(packageRoot('@stackyard/preview-runtime', here));
  const modules = RUNTIME_MODULES.map(name => nodeModulesOf(name, root));
  const read = [root, ...packageClosure(RUNTIME_MODULES, root)];
  // The guardrails' sandbox pieces: the package, and the workspace link the
  // runner resolves it through (the link itself must be readable).
  const guardrails = findPackage('@stackyard/cdk-guardrails', root);
  if (!guardrails)
    throw new Error('@stackyard/cdk-guardrails is not installed');
  read.push(guardrails, realpathSync(guardrails));
  if (existsSync(join(root, 'src'))) {
    // From source: the entry compiles TypeScript with @backstage/cli's sucrase.
    const cli = dirname(
      require.resolve('@backstage/cli/package.json', { paths: [root] }),
    );
    // Node 22 checks the resolver's read of the package.json it resolves.
    read.push(join(cli, 'package.json'), ...packageClosure(['sucrase'], cli));
  }
  return {
    entry: join(root, 'bin', 'preview-runner.js'),
    read: [...new Set(read)],
    nodePath: [...new Set(modules.map(p => realpathSync(p)))].join(':'),
  };
}
