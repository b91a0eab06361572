import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DeployRefusedError } from './DeployRefusedError';
import { checkUntrustedAssembly } from './untrustedAssembly';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const target = { accountId: ACCOUNT, region: REGION };
const role = (name: string) =>
  `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-${name}-role-${ACCOUNT}-${REGION}`;
const BUCKET = `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`;

/** The parts of a cloud assembly the check reads, as the CDK writes them. */
interface Assembly {
  manifest: { artifacts: Record<string, any> };
  /** File name → JSON content of asset manifests. */
  assetManifests: Record<string, any>;
  /** Directories (asset sources) that exist in the assembly. */
  dirs: string[];
}

/** A stack with one zipped file asset, published to the default bootstrap. */
function cleanAssembly(): Assembly {
  return {
    manifest: {
      artifacts: {
        'lg-dev.assets': {
          type: 'cdk:asset-manifest',
          properties: { file: 'lg-dev.assets.json' },
        },
        'lg-dev': {
          type: 'aws:cloudformation:stack',
          environment: `aws://${ACCOUNT}/${REGION}`,
          properties: {
            templateFile: 'lg-dev.template.json',
            assumeRoleArn: role('deploy'),
            cloudFormationExecutionRoleArn: role('cfn-exec'),
            lookupRole: { arn: role('lookup') },
          },
          metadata: { '/lg-dev/Api': [{ type: 'aws:cdk:logicalId' }] },
        },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
        'aws-cdk-lib/feature-flag-report': {
          type: 'cdk:feature-flag-report',
          properties: { module: 'aws-cdk-lib', flags: {} },
        },
      },
    },
    assetManifests: {
      'lg-dev.assets.json': {
        version: '39.0.0',
        files: {
          abc123: {
            source: { path: 'asset.abc123', packaging: 'zip' },
            destinations: {
              current: {
                bucketName: BUCKET,
                objectKey: 'abc123.zip',
                assumeRoleArn: role('file-publishing'),
              },
            },
          },
        },
        dockerImages: {},
      },
    },
    dirs: ['asset.abc123'],
  };
}

describe('checkUntrustedAssembly', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'untrusted-assembly-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function written(assembly: Assembly): string {
    const dir = join(root, 'cdk.out');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify(assembly.manifest),
    );
    writeFileSync(join(dir, 'lg-dev.template.json'), '{}');
    for (const [file, content] of Object.entries(assembly.assetManifests)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), JSON.stringify(content));
    }
    for (const d of assembly.dirs) mkdirSync(join(dir, d), { recursive: true });
    return dir;
  }

  const stack = (a: Assembly) => a.manifest.artifacts['lg-dev'];
  const asset = (a: Assembly) =>
    a.assetManifests['lg-dev.assets.json'].files.abc123;

  it('accepts stacks, file assets of the default bootstrap, the tree and the feature-flag report (as aws-cdk-lib writes them)', () => {
    expect(() =>
      checkUntrustedAssembly(written(cleanAssembly()), target),
    ).not.toThrow();
  });

  it.each<[string, (a: Assembly) => void, string]>([
    [
      'a docker image asset',
      a => {
        a.assetManifests['lg-dev.assets.json'].dockerImages = {
          img: { source: { directory: 'asset.img' }, destinations: {} },
        };
      },
      'lg-dev.assets.json has docker image assets',
    ],
    [
      'a docker image asset in an asset manifest outside the usual file name and directory',
      a => {
        a.manifest.artifacts.hidden = {
          type: 'cdk:asset-manifest',
          properties: { file: 'nested/hidden.json' },
        };
        a.assetManifests['nested/hidden.json'] = {
          version: '39.0.0',
          dockerImages: {
            img: {
              source: { directory: '.', dockerBuildArgs: {} },
              destinations: {},
            },
          },
        };
      },
      'nested/hidden.json has docker image assets',
    ],
    [
      'legacy asset metadata (toolkit-lib would build it)',
      a => {
        stack(a).metadata['/lg-dev/Image'] = [
          {
            type: 'aws:cdk:asset',
            data: { packaging: 'container-image', path: 'asset.img' },
          },
        ];
      },
      'artifact "lg-dev" carries legacy asset metadata',
    ],
    [
      'a file asset built by running a command',
      a => {
        asset(a).source = { executable: ['sh', '-c', 'id > /tmp/pwned'] };
      },
      'asset abc123 is built by running a command',
    ],
    [
      'an asset path escaping the assembly',
      a => {
        asset(a).source.path = 'asset.abc123/../../../etc';
      },
      'asset abc123 "asset.abc123/../../../etc" is outside the assembly',
    ],
    [
      'an absolute asset path',
      a => {
        asset(a).source.path = '/etc';
      },
      'asset abc123 "/etc" is outside the assembly',
    ],
    [
      'a template file outside the assembly',
      a => {
        stack(a).properties.templateFile = '../secrets.json';
      },
      'template file "../secrets.json" is outside the assembly',
    ],
    [
      'an asset manifest outside the assembly',
      a => {
        a.manifest.artifacts['lg-dev.assets'].properties.file =
          '/etc/passwd.json';
      },
      'asset manifest "/etc/passwd.json" is outside the assembly',
    ],
    [
      'a nested cloud assembly',
      a => {
        a.manifest.artifacts.nested = {
          type: 'cdk:cloud-assembly',
          properties: { directoryName: '/tmp/elsewhere' },
        };
      },
      'artifact "nested" is of type "cdk:cloud-assembly"',
    ],
    [
      'a stack for another account',
      a => {
        stack(a).environment = `aws://999999999999/${REGION}`;
      },
      'stack lg-dev is for aws://999999999999/eu-west-1',
    ],
    [
      'a deploy role of its choosing',
      a => {
        stack(a).properties.assumeRoleArn =
          'arn:aws:iam::123456789012:role/Admin';
      },
      'stack lg-dev names the role "arn:aws:iam::123456789012:role/Admin"',
    ],
    [
      'an asset bucket of its choosing',
      a => {
        asset(a).destinations.current.bucketName = 'attacker-bucket';
      },
      'asset abc123 goes to the bucket "attacker-bucket"',
    ],
    [
      'a missing asset',
      a => {
        a.dirs = [];
      },
      'asset abc123 is missing',
    ],
  ])('refuses %s', (_what, change, detail) => {
    const assembly = cleanAssembly();
    change(assembly);
    const dir = written(assembly);
    let error: unknown;
    try {
      checkUntrustedAssembly(dir, target);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeployRefusedError);
    expect((error as Error).message).toBe(
      `the cloud assembly synthesized from the repository's code was not deployed: ${detail}`,
    );
  });
});
