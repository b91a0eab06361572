import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { manifestLocator, templateLocator } from './locations';

const finding = (path: string | undefined, logicalId = 'X') => ({
  ruleId: 'SY-TEST',
  stack: 'wo-dev',
  logicalId,
  ...(path !== undefined ? { path } : {}),
  resourceType: 'AWS::SQS::Queue',
  message: 'm',
});

describe('manifestLocator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stackyard-locations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const manifestFile = join(dir, 'stackyard.yaml');
  writeFileSync(
    manifestFile,
    [
      '# comment',
      'service:',
      '  name: orders',
      'functions:',
      '  intake:',
      '    handler: index.handler',
      '  job-runner:',
      '    handler: index.handler',
      'queues:',
      '  jobs: {}',
      'tables:',
      '  jobs: {}',
      'websocket:',
      '  routes: {}',
      '',
    ].join('\n'),
  );

  it('puts a resource built from a manifest entry at that entry', () => {
    const locate = manifestLocator({ manifestFile, cwd: dir });
    expect(locate(finding('Intake/Resource'))).toEqual({ uri: 'stackyard.yaml', line: 5 });
    expect(locate(finding('JobRunner/ServiceRole/Resource'))).toEqual({ uri: 'stackyard.yaml', line: 7 });
    expect(locate(finding('JobsQueue/Resource'))).toEqual({ uri: 'stackyard.yaml', line: 10 });
    expect(locate(finding('JobsTable/Resource'))).toEqual({ uri: 'stackyard.yaml', line: 12 });
    expect(locate(finding('WebSocket/Api'))).toEqual({ uri: 'stackyard.yaml', line: 13 });
  });

  it('puts other resources in the extension module when there is one, else at the service key', () => {
    expect(manifestLocator({ manifestFile, cwd: dir })(finding('Custom/Resource'))).toEqual({ uri: 'stackyard.yaml', line: 2 });
    expect(manifestLocator({ manifestFile, cwd: dir })(finding(undefined))).toEqual({ uri: 'stackyard.yaml', line: 2 });
    expect(
      manifestLocator({ manifestFile, extensionFile: join(dir, 'infra', 'extend.js'), cwd: dir })(finding('Custom/Resource')),
    ).toEqual({ uri: 'infra/extend.js', line: 1 });
  });

  it('still locates at line 1 of an unreadable manifest', () => {
    expect(manifestLocator({ manifestFile: join(dir, 'missing.yaml'), cwd: dir })(finding('Intake'))).toEqual({
      uri: 'missing.yaml',
      line: 1,
    });
  });

  it('locates a template resource at the line of its logical ID', () => {
    const file = join(dir, 'wo-dev.template.json');
    writeFileSync(file, JSON.stringify({ Resources: { A: { Type: 'x' }, Queue1: { Type: 'AWS::SQS::Queue' } } }, null, 1));
    const locate = templateLocator(new Map([['wo-dev', file]]), dir);
    expect(locate(finding(undefined, 'Queue1'))).toEqual({ uri: 'wo-dev.template.json', line: 6 });
    expect(locate(finding(undefined, 'Nope'))).toEqual({ uri: 'wo-dev.template.json', line: 1 });
  });
});
