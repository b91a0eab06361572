// The workspace packages are TypeScript sources; requiring them through the
// same transform `backstage-cli package start` uses lets this plain Node
// script load the scaffolder, our actions and cdk-guardrails in-process.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const requireTs = createRequire(resolve(repoRoot, 'package.json'));
export const nodeTransform = requireTs.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);
requireTs(nodeTransform);
