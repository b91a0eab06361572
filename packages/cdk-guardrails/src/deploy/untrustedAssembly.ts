import { existsSync, readFileSync, readdirSync } from 'fs';
import { isAbsolute, normalize } from 'path';
import { DeployRefusedError } from './DeployRefusedError';

/** The bootstrap qualifier of CDK's default stack synthesizer. */
const QUALIFIER = 'hnb659fds';

const ALLOWED_ARTIFACTS = new Set([
  'aws:cloudformation:stack',
  'cdk:asset-manifest',
  'cdk:tree',
  // aws-cdk-lib writes one to every assembly: data only (flag names and
  // values), no files.
  'cdk:feature-flag-report',
]);

function refuse(detail: string): never {
  throw new DeployRefusedError(
    `the cloud assembly synthesized from the repository's code was not deployed: ${detail}`,
  );
}

function inside(path: unknown, what: string): void {
  if (
    typeof path !== 'string' ||
    isAbsolute(path) ||
    normalize(path).split(/[\\/]/)[0] === '..'
  ) {
    refuse(`${what} ${JSON.stringify(path)} is outside the assembly`);
  }
}

/**
 * Checks a cloud assembly that repository code (a sandboxed extension)
 * produced before toolkit-lib acts on it in the backend: only stacks, file
 * assets, the construct tree and the feature-flag report; every file inside
 * the assembly; no asset built by running a command or docker, in any asset
 * manifest an artifact names, nor legacy asset metadata; roles and the asset
 * bucket those of the target's default bootstrap. Anything else would let
 * the code choose what the backend runs, reads or assumes.
 */
export function checkUntrustedAssembly(
  dir: string,
  target: { accountId: string; region: string },
): void {
  const { accountId: account, region } = target;
  const role = (name: string) =>
    `arn:\${AWS::Partition}:iam::${account}:role/cdk-${QUALIFIER}-${name}-role-${account}-${region}`;
  const roles = new Set(
    ['deploy', 'cfn-exec', 'lookup', 'file-publishing'].map(role),
  );
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
  // The asset manifests toolkit-lib publishes from: those the artifacts
  // name (wherever they are), not only files that look like one.
  const assetManifests = new Set(
    readdirSync(dir).filter(f => f.endsWith('.assets.json')),
  );
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (!ALLOWED_ARTIFACTS.has(artifact?.type)) {
      refuse(
        `artifact ${JSON.stringify(id)} is of type ${JSON.stringify(
          artifact?.type,
        )}`,
      );
    }
    const props = artifact.properties ?? {};
    // Legacy asset metadata is turned into assets (docker builds included)
    // by toolkit-lib at deploy time.
    for (const entries of Object.values<any>(artifact.metadata ?? {})) {
      if ((entries ?? []).some((e: any) => e?.type === 'aws:cdk:asset')) {
        refuse(`artifact ${JSON.stringify(id)} carries legacy asset metadata`);
      }
    }
    if (artifact.type === 'aws:cloudformation:stack') {
      inside(props.templateFile, 'template file');
      if (artifact.environment !== `aws://${account}/${region}`) {
        refuse(`stack ${id} is for ${artifact.environment}`);
      }
      for (const key of ['assumeRoleArn', 'cloudFormationExecutionRoleArn']) {
        if (props[key] !== undefined && !roles.has(props[key])) {
          refuse(`stack ${id} names the role ${JSON.stringify(props[key])}`);
        }
      }
      if (props.lookupRole && !roles.has(props.lookupRole.arn)) {
        refuse(
          `stack ${id} names the lookup role ${JSON.stringify(
            props.lookupRole.arn,
          )}`,
        );
      }
    }
    if (artifact.type === 'cdk:asset-manifest') {
      inside(props.file, 'asset manifest');
      assetManifests.add(props.file);
    }
    if (artifact.type === 'cdk:tree') inside(props.file, 'tree file');
  }
  for (const file of assetManifests) {
    const assets = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
    if (Object.keys(assets.dockerImages ?? {}).length > 0) {
      refuse(`${file} has docker image assets`);
    }
    for (const [id, asset] of Object.entries<any>(assets.files ?? {})) {
      if (asset.source?.executable !== undefined) {
        refuse(`asset ${id} is built by running a command`);
      }
      inside(asset.source?.path, `asset ${id}`);
      if (!existsSync(`${dir}/${asset.source.path}`))
        refuse(`asset ${id} is missing`);
      for (const dest of Object.values<any>(asset.destinations ?? {})) {
        if (
          dest.bucketName !== `cdk-${QUALIFIER}-assets-${account}-${region}`
        ) {
          refuse(
            `asset ${id} goes to the bucket ${JSON.stringify(dest.bucketName)}`,
          );
        }
        if (
          dest.assumeRoleArn !== undefined &&
          !roles.has(dest.assumeRoleArn)
        ) {
          refuse(
            `asset ${id} names the role ${JSON.stringify(dest.assumeRoleArn)}`,
          );
        }
      }
    }
  }
}
