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
 * The code a runner reads: this package, the `node_modules` directories of
 * the SDK clients and engines (and of sucrase when running from source), and
 * the sandbox pieces of `@stackyard/cdk-guardrails` (linked, so outside them).
 */
export function runnerCode(): RunnerCode {
  // eslint-disable-next-line no-restricted-syntax
  const root = packageRoot('@stackyard/preview-runtime', __dirname);
  const modules = RUNTIME_MODULES.map(name => nodeModulesOf(name, root));
  const read = [root, ...modules];
  const guardrails = packageRoot(
    '@stackyard/cdk-guardrails',
    dirname(
      require.resolve('@stackyard/cdk-guardrails/sandbox', { paths: [root] }),
    ),
  );
  read.push(guardrails);
  const entry = join(root, 'bin', 'preview-runner.js');
  if (existsSync(join(root, 'src'))) {
    // From source: the entry compiles TypeScript with @backstage/cli's sucrase.
    read.push(
      nodeModulesOf(
        'sucrase',
        dirname(
          require.resolve('@backstage/cli/package.json', { paths: [root] }),
        ),
      ),
    );
  }
  return {
    entry,
    read: [...new Set(read.map(p => realpathSync(p)))],
    nodePath: [...new Set(modules.map(p => realpathSync(p)))].join(':'),
  };
}
