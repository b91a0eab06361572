import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoopbackAws } from '@stackyard/test-support/aws';
import {
  alarms,
  awsTarget,
  ciStack,
  stackIdOf,
  stacks,
} from '../infra/loopbackAws';
import { orphanStacks, orphanTags } from '../infra/orphanStacks';

/** How long CloudFormation takes to delete a stack of the e2e account. */
const DELETION_MS = 4000;

/** The main portal's account: the stacks and alarms of the Infra tab tests. */
export function seedInfraAccount(fake: LoopbackAws) {
  for (const stack of Object.values(stacks)) {
    fake.cloudFormation.addStack({ ...stack, id: stackIdOf(stack.name) });
  }
  fake.cloudWatch.alarms.push(...alarms);
  // Changed outside CloudFormation once CI has created it.
  fake.cloudFormation.driftResource(ciStack.name, ciStack.drift.logicalId, {
    ...ciStack.drift.actual,
  });
}

/**
 * The PostgreSQL portal's account: only an orphan stack, which its guest
 * (no platform admin there) is refused to tear down.
 */
export function seedNonAdminAccount(fake: LoopbackAws) {
  const stack = orphanStacks.nonAdmin;
  fake.cloudFormation.addStack({
    name: stack.name,
    id: stackIdOf(stack.name),
    status: 'CREATE_COMPLETE',
    tags: orphanTags(stack),
  });
}

/**
 * Starts a loopback AWS endpoint (@stackyard/test-support/aws) for an e2e
 * portal's `aws` target, seeded by `seed` (by default with the stacks and
 * alarms of the Infra tab tests), and writes the backend config for it into
 * `dir`: the `local` and `e2e-aws` targets, and static credentials for the
 * account in `aws.accounts`, which the endpoint does not check.
 */
export async function startLoopbackAws(
  dir: string,
  seed: (fake: LoopbackAws) => void = seedInfraAccount,
) {
  const fake = await LoopbackAws.start({
    account: awsTarget.accountId,
    region: awsTarget.region,
  });
  fake.cloudFormation.deletionCompletesAfterMs = DELETION_MS;
  seed(fake);

  const configFile = resolve(dir, 'app-config.loopback-aws.yaml');
  // JSON is YAML; the endpoint's port is only known now.
  const config = {
    stackyard: {
      targets: [
        { name: 'local', type: 'local' },
        { ...awsTarget, type: 'aws', endpoint: fake.url },
      ],
    },
    aws: {
      accounts: [
        {
          accountId: awsTarget.accountId,
          accessKeyId: 'AKIAE2ELOOPBACK00000',
          secretAccessKey: 'e2e-loopback-secret-not-checked',
        },
      ],
    },
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { fake, configFile };
}
