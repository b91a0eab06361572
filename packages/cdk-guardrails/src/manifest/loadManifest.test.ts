import { join } from 'path';
import { ManifestError } from './ManifestError';
import { loadManifest, parseManifest } from './loadManifest';

const valid = `service:
  name: mailer
  project: wo
  costCenter: cc-1
  owner: component:default/mailer
functions:
  worker:
    handler: index.handler
    inline: "exports.handler = async () => {}"
    timeout: 10
    memorySize: 256
    reservedConcurrency: 5
queues:
  jobs:
    consumer: worker
`;

function issuesOf(text: string) {
  try {
    parseManifest(text, 'stackyard.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as ManifestError).issues;
  }
  throw new Error('expected a ManifestError');
}

describe('parseManifest', () => {
  it('parses a valid manifest', () => {
    const manifest = parseManifest(valid);
    expect(manifest.functions?.worker.memorySize).toBe(256);
    expect(manifest.queues?.jobs.consumer).toBe('worker');
  });

  it('rejects unknown keys with their path and line', () => {
    expect(issuesOf(valid.replace('    timeout: 10', '    timout: 10\n    timeout: 10'))).toEqual([
      { path: 'functions.worker.timout', line: 10, column: 5, message: 'unknown key "timout"' },
    ]);
  });

  it('rejects wrong types with their path and line', () => {
    const issues = issuesOf(valid.replace('memorySize: 256', 'memorySize: big'));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'functions.worker.memorySize', line: 11, column: 5 }),
    ]);
    expect(issues[0].message).toMatch(/expected number/);
  });

  it('reports every problem, formatted as file:line:column path: message', () => {
    const text = valid.replace('reservedConcurrency: 5', 'reservedConcurrency: 0').replace('project: wo', 'project: WO');
    expect(() => parseManifest(text)).toThrow(/stackyard.yaml:3:3 service.project: must be a lowercase letter/);
    expect(() => parseManifest(text)).toThrow(/stackyard.yaml:12:5 functions.worker.reservedConcurrency: Too small/);
  });

  it('rejects references to unknown functions at the referencing key', () => {
    expect(issuesOf(valid.replace('consumer: worker', 'consumer: wrker'))).toEqual([
      expect.objectContaining({ path: 'queues.jobs.consumer', line: 15, message: expect.stringMatching(/unknown function "wrker".*known: worker/) }),
    ]);
  });

  it('rejects code paths that leave the app directory', () => {
    const text = valid.replace('inline: "exports.handler = async () => {}"', 'code: ../../etc');
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ path: 'functions.worker.code', line: 9, message: expect.stringMatching(/must be a relative path inside the app/) }),
    ]);
  });

  it('requires exactly one of code and inline', () => {
    expect(issuesOf(valid.replace('    inline: "exports.handler = async () => {}"\n', ''))[0].message).toMatch(/exactly one of "code"/);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(issuesOf('service:\n  name: [unclosed\n')[0]).toEqual(expect.objectContaining({ path: '', line: expect.any(Number) }));
    expect(issuesOf('a: 1\na: 2\n')[0].message).toMatch(/unique/);
  });
});

describe('loadManifest', () => {
  it('loads the reference service', () => {
    const manifest = loadManifest(join(__dirname, '../../fixtures/reference-service/stackyard.yaml'));
    expect(Object.keys(manifest.functions ?? {})).toHaveLength(3);
  });

  it('reports an unreadable file', () => {
    expect(() => loadManifest('/nonexistent/stackyard.yaml')).toThrow(/cannot read the manifest: ENOENT/);
  });
});

describe('parseManifest: containers, databases, caches, network and http', () => {
  const kinds = `${valid}http:
  routes:
    POST /jobs: worker
containers:
  api:
    image:
      repository: orchestrator
    public: true
    databases: [main]
    caches: [queue]
  worker:
    image:
      repository: orchestrator
    cpu: 512
    memoryMiB: 1024
databases:
  main: {}
caches:
  queue: {}
stages:
  prod:
    containers:
      worker:
        desiredCount: 3
`;

  it('parses the new kinds', () => {
    const manifest = parseManifest(kinds);
    expect(manifest.containers?.api.databases).toEqual(['main']);
    expect(manifest.http?.routes['POST /jobs']).toBe('worker');
    expect(manifest.stages?.prod.containers?.worker.desiredCount).toBe(3);
  });

  it.each([
    ['databases: [main]', 'databases: [mian]', 'containers.api.databases.0', 24, /unknown database "mian": declare it under databases \(known: main\)/],
    ['caches: [queue]', 'caches: [queu]', 'containers.api.caches.0', 25, /unknown cache "queu"/],
    ['POST /jobs: worker', 'post /jobs: worker', 'http.routes.post /jobs', 18, /route "post \/jobs" is not allowed: use "<METHOD> \/path"/],
    ['    cpu: 512', '    cpu: 300', 'containers.worker.cpu', 29, /must be one of 256, 512, .* \(got 300\)/],
    ['      repository: orchestrator\n    public: true', '      repository: Orchestrator!\n    public: true', 'containers.api.image.repository', 22, /must be an ECR repository name .*\(got "Orchestrator!"\)/],
    ['      worker:\n        desiredCount', '      wrker:\n        desiredCount', 'stages.prod.containers.wrker', 38, /unknown container "wrker"/],
    ['    public: true', '    public: true\n    certificateArn: arn:aws:iam::123456789012:server-certificate/site', 'containers.api.certificateArn', 24, /must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate\/<id> \(got "arn:aws:iam::123456789012:server-certificate\/site"\)/],
  ])('quotes the bad value %s → %s at its path and line', (from, to, path, line, message) => {
    const issues = issuesOf(kinds.replace(from, to));
    expect(issues).toEqual([expect.objectContaining({ path, line, message: expect.stringMatching(message) })]);
  });

  it('allows one public container and ports only on it', () => {
    const twoPublic = kinds.replace('    cpu: 512', '    public: true\n    cpu: 512');
    expect(issuesOf(twoPublic)).toEqual([
      expect.objectContaining({
        path: 'containers.worker.public',
        message: 'only one container can be public (behind the load balancer): "api" and "worker" both are',
      }),
    ]);
    expect(issuesOf(kinds.replace('    cpu: 512', '    port: 8080\n    cpu: 512'))).toEqual([
      expect.objectContaining({
        path: 'containers.worker.port',
        message: 'port 8080 is only for a public container (behind the load balancer): set public: true or remove it',
      }),
    ]);
  });

  it('takes an ACM certificate on the public container only', () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-6789-abcd-ef0123456789';
    const manifest = parseManifest(kinds.replace('    public: true', `    public: true\n    certificateArn: ${arn}`));
    expect(manifest.containers?.api.certificateArn).toBe(arn);
    expect(issuesOf(kinds.replace('    cpu: 512', `    certificateArn: ${arn}\n    cpu: 512`))).toEqual([
      expect.objectContaining({
        path: 'containers.worker.certificateArn',
        message: expect.stringMatching(/^certificateArn "arn:aws:acm:.*" is only for a public container/),
      }),
    ]);
  });

  it('quotes bad scalar values of the existing kinds too', () => {
    expect(issuesOf(valid.replace('reservedConcurrency: 5', 'reservedConcurrency: 0'))[0].message).toMatch(
      /^Too small: .* \(got 0\)$/,
    );
  });
});
