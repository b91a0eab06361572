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
