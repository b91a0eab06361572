import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { repoRoot } from './paths';

const source = resolve(
  repoRoot,
  'plugins/stackyard-backend/src/__testUtils__/FakeAwsServer.ts',
);

/**
 * The backend plugin's loopback CloudFormation/CloudWatch endpoint. It is a
 * test utility of the plugin, not one of its exports, and this package does
 * not depend on the plugin, so it is required from its source path. Jest
 * transforms TypeScript for globalSetup only while globalSetup's modules
 * load, which is why this happens at the top level.
 */
export const { FakeAwsServer } = createRequire(__filename)(
  source,
) as typeof import('../../../../plugins/stackyard-backend/src/__testUtils__/FakeAwsServer');

/** An instance of {@link FakeAwsServer}. */
export type FakeAws = InstanceType<typeof FakeAwsServer>;
