import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, sep } from 'path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { MANIFEST_FILE } from '../manifest/loadManifest';
import { ruleDocsUrl } from '../report/ruleDocs';
import { EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, runCli } from './main';

const LINE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+ [^/\s]+\/\S+: .+ \(see https:\/\/\S+\/docs\/rules\/[A-Z0-9-]+\.md\)$/;
const docs = (id: string) => ruleDocsUrl(id);
const appDir = join(__dirname, '../../fixtures/reference-service');

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { stdout: l => stdout.push(l), stderr: l => stderr.push(l) });
  return { code, stdout, stderr };
}

describe('stackyard CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stackyard-cli-test-'));
  const cdkOut = join(dir, 'cdk.out');
  const app = new App({ outdir: cdkOut, stackTraces: false, builtinCloudFormationValidation: false });
  new sqs.CfnQueue(new Stack(app, 'Root', { stackName: 'root-dev' }), 'Queue');
  new sqs.CfnQueue(new Stack(new Stage(app, 'Preview'), 'Nested', { stackName: 'nested-preview' }), 'Queue');
  app.synth();
  const clean = join(dir, 'clean.template.json');
  // Judged as production (it records no stage), so clean includes a budget.
  const budget = { Type: 'AWS::Budgets::Budget', Properties: { Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 100, Unit: 'USD' } } } };
  writeFileSync(clean, JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'Project', Value: 'p' }, { Key: 'Environment', Value: 'e' }, { Key: 'CostCenter', Value: 'c' }] } }, B: budget } }));
  const notTemplate = join(dir, 'package.json');
  writeFileSync(notTemplate, JSON.stringify({ name: 'x' }));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "Resources": ');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for a clean template', async () => {
    const result = await run('check', clean);
    expect(result).toEqual({ code: EXIT_OK, stdout: [], stderr: ['0 finding(s), 0 warning(s), 0 acknowledged'] });
  });

  it('exits 1 with one line per finding for a cdk.out directory, including nested Stage stacks', async () => {
    const result = await run('check', cdkOut, '--stage', 'dev');
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(result.stdout).toEqual([
      `SY-SQS-DLQ root-dev/Queue: no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire (see ${docs('SY-SQS-DLQ')})`,
      expect.stringMatching(new RegExp(`^SY-TAGS root-dev/Queue: missing tag Project, Environment, CostCenter: .* \\(see ${docs('SY-TAGS')}\\)$`)),
      `SY-SQS-DLQ nested-preview/Queue: no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire (see ${docs('SY-SQS-DLQ')})`,
      expect.stringMatching(new RegExp(`^SY-TAGS nested-preview/Queue: missing tag Project, Environment, CostCenter: .* \\(see ${docs('SY-TAGS')}\\)$`)),
    ]);
    for (const line of result.stdout) expect(line).toMatch(LINE);
  });

  it('prints JSON with --json', async () => {
    const result = await run('check', cdkOut, clean, '--json');
    expect(result.code).toBe(EXIT_FINDINGS);
    const json = JSON.parse(result.stdout.join('\n'));
    expect(json.ok).toBe(false);
    expect(json.findings).toHaveLength(4);
    expect(json.findings[0]).toMatchObject({ ruleId: 'SY-SQS-DLQ', stack: 'root-dev', logicalId: 'Queue' });
    // a plain App writes no aws:cdk:path metadata, so findings name the logical ID
    expect(json.findings[0].path).toBeUndefined();
  });

  describe('report formats', () => {
    beforeAll(() => expect.extend({ toBeValidSarifLog }));

    it('writes SARIF for check: the template file and line of each resource', async () => {
      const result = await run('check', cdkOut, '--stage', 'dev', '--format', 'sarif');
      expect(result.code).toBe(EXIT_FINDINGS);
      const sarif = JSON.parse(result.stdout.join('\n'));
      expect(sarif).toBeValidSarifLog();
      const results = sarif.runs[0].results;
      expect(results.map((r: any) => `${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName}`)).toEqual([
        'SY-SQS-DLQ root-dev/Queue',
        'SY-TAGS root-dev/Queue',
        'SY-SQS-DLQ nested-preview/Queue',
        'SY-TAGS nested-preview/Queue',
      ]);
      const where = results[0].locations[0].physicalLocation;
      expect(where.artifactLocation.uri).toBe(relative(process.cwd(), join(cdkOut, 'Root.template.json')).split(sep).join('/'));
      const lines = readFileSync(join(cdkOut, 'Root.template.json'), 'utf8').split('\n');
      expect(lines[where.region.startLine - 1]).toContain('"Queue":');
      expect(result.stderr).toEqual([]);
    });

    it('writes the report to --output and the text report to the terminal, keeping the exit code', async () => {
      const file = join(dir, 'reports', 'policy.xml');
      const result = await run('check', cdkOut, '--stage', 'dev', '--format', 'junit', '--output', file);
      expect(result.code).toBe(EXIT_FINDINGS);
      expect(result.stdout).toHaveLength(4);
      for (const line of result.stdout) expect(line).toMatch(LINE);
      expect(result.stderr).toEqual(['4 finding(s), 0 warning(s), 0 acknowledged']);
      const xml = readFileSync(file, 'utf8');
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="stackyard safety policy" tests="4" failures="4"/);
      const passing = await run('check', clean, '--format', 'junit');
      expect(passing.code).toBe(EXIT_OK);
      expect(passing.stdout.join('\n')).toContain('<testcase classname="clean/T" name="SY-TAGS"/>');
    });

    it('locates synth findings of an extension in its module, and fingerprints them without the prefix', async () => {
      const extendedDir = join(__dirname, '../../fixtures/extended-service');
      const sarifOf = async (prefix: string) => {
        const result = await run('synth', extendedDir, '--prefix', prefix, '--stage', 'dev', '--format', 'sarif');
        expect(result.code).toBe(EXIT_FINDINGS);
        return JSON.parse(result.stdout.join('\n'));
      };
      const sarif = await sarifOf('lg-3');
      expect(sarif).toBeValidSarifLog();
      const [finding] = sarif.runs[0].results;
      expect(finding).toMatchObject({
        ruleId: 'SY-SQS-DLQ',
        level: 'error',
        // Relative to the directory the CLI runs in (a workflow's checkout root).
        locations: [{ physicalLocation: { artifactLocation: { uri: relative(process.cwd(), join(extendedDir, 'infra/extend.js')).split(sep).join('/') } } }],
      });
      const again = await sarifOf('lg-4');
      expect(again.runs[0].results[0].partialFingerprints).toEqual(finding.partialFingerprints);
    });

    describe('deploy with findings (nothing deployed, no AWS call)', () => {
      const extendedDir = join(__dirname, '../../fixtures/extended-service');
      const args = [extendedDir, '--prefix', 'lg-3', '--stage', 'dev'];
      /** What must be the same in both reports: the document less synth's own fields. */
      const verdictOf: Record<string, (stdout: string[]) => unknown> = {
        json: stdout => JSON.parse(stdout.join('\n')).findings,
        sarif: stdout => JSON.parse(stdout.join('\n')).runs[0].results,
        junit: stdout => stdout,
        text: stdout => stdout,
      };

      it.each(Object.keys(verdictOf))('reports them with --format %s exactly as synth does', async format => {
        const synth = await run('synth', ...args, '--format', format);
        const deploy = await run('deploy', ...args, '--format', format);
        expect(deploy.code).toBe(EXIT_FINDINGS);
        expect(verdictOf[format](deploy.stdout)).toEqual(verdictOf[format](synth.stdout));
        expect(deploy.stdout.join('\n')).toContain('SY-SQS-DLQ');
        expect(deploy.stderr).toContain('stackyard: nothing deployed: the safety policy found problems');
      });

      it('keeps --json as --format json', async () => {
        const deploy = await run('deploy', ...args, '--json');
        expect(deploy.code).toBe(EXIT_FINDINGS);
        expect(JSON.parse(deploy.stdout.join('\n'))).toMatchObject({
          ok: false,
          deployed: false,
          stackName: 'lg-3-dev',
          findings: [expect.objectContaining({ ruleId: 'SY-SQS-DLQ' })],
        });
      });
    });

    it.each([
      ['an unknown format', ['--format', 'html'], /--format "html" is not one of text, json, sarif, junit/],
      ['--json with another format', ['--json', '--format', 'sarif'], /--json and --format sarif contradict each other/],
      ['an output path that cannot be written', ['--format', 'sarif', '--output', join(clean, 'x.sarif')], /cannot write the report to ".*clean.template.json\/x.sarif": E(EXIST|NOTDIR)/],
    ])('exits 2 for %s', async (_, extra, message) => {
      const result = await run('check', cdkOut, ...extra);
      expect(result.code).toBe(EXIT_BAD_INPUT);
      expect(result.stderr.join('\n')).toMatch(message);
    });
  });

  it.each([
    ['a missing file', ['check', '/nonexistent/x.json'], /cannot read "\/nonexistent\/x.json": ENOENT/],
    ['a file that is not a template', ['check', notTemplate], /package.json" is not a CloudFormation template: it has no "Resources" object/],
    ['unparsable JSON', ['check', broken], /broken.json" is not a JSON or YAML template/],
    ['a directory that is not a cloud assembly', ['check', appDir], /is not a cloud assembly \(cdk.out\) directory/],
    ['no arguments', ['check'], /check needs at least one/],
    ['an unknown stage', ['check', clean, '--stage', 'qa'], /unknown stage "qa"/],
    ['an unknown option', ['check', clean, '--nope'], /Unknown option '--nope'/],
    ['an unknown command', ['publish'], /unknown command "publish"/],
    ['deploy without an app directory', ['deploy'], /deploy needs exactly one app directory/],
    ['deploy with an unknown format', ['deploy', appDir, '--prefix', 'wo', '--stage', 'dev', '--format', 'html'], /--format "html" is not one of text, json, sarif, junit/],
    ['synth without a stage', ['synth', appDir, '--prefix', 'wo'], /synth needs --stage/],
    ['synth with a bad prefix', ['synth', appDir, '--prefix', 'wo;rm', '--stage', 'dev'], /override "wo;rm" is not allowed/],
    ['synth of a directory without manifest', ['synth', '/nonexistent', '--prefix', 'wo', '--stage', 'dev'], /cannot read the manifest/],
  ])('exits 2 with a clear message for %s', async (_, argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(EXIT_BAD_INPUT);
    expect(result.stdout).toEqual([]);
    expect(result.stderr.join('\n')).toMatch(message);
  });

  describe('synth with an extension module', () => {
    const extendedDir = join(__dirname, '../../fixtures/extended-service');
    const manifest = readFileSync(join(extendedDir, MANIFEST_FILE), 'utf8');
    /** An app directory whose manifest declares `extension`, with the given module files. */
    function appWith(extension: string, files: Record<string, string>) {
      const extApp = mkdtempSync(join(dir, 'ext-'));
      writeFileSync(join(extApp, MANIFEST_FILE), manifest.replace('infra/extend.js', extension));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(extApp, name), text);
      return extApp;
    }

    it('synthesizes the resources the extension adds and reports the raw ones', async () => {
      const out = join(dir, 'extended');
      const result = await run('synth', extendedDir, '--prefix', 'lg-3', '--stage', 'dev', '--out', out);
      expect(result.code).toBe(EXIT_FINDINGS);
      expect(result.stdout).toEqual([
        `SY-SQS-DLQ lg-3-dev/RawQueue/Resource: no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire (see ${docs('SY-SQS-DLQ')})`,
      ]);
      const template = JSON.parse(readFileSync(join(out, 'lg-3-dev.template.json'), 'utf8'));
      const byType = (type: string) =>
        Object.values<any>(template.Resources).filter(r => r.Type === type);
      expect(byType('AWS::SNS::Topic').map(r => r.Properties.TopicName)).toEqual(['lg-3-dev-events']);
      expect(byType('AWS::SQS::Queue').map(r => r.Properties.QueueName)).toContain('lg-3-dev-raw-dev');
      // the extension ran on the manifest-built stack: its function may publish
      expect(JSON.stringify(byType('AWS::IAM::Policy'))).toContain('sns:Publish');
    });

    it.each([
      ['is missing', 'infra/missing.js', {}, /service extension "infra\/missing.js" \(declared in .*stackyard.yaml\): cannot load .*infra\/missing.js: no such file/],
      ['throws when loaded', 'load.js', { 'load.js': 'throw new Error("no config for this account");' }, /"load.js".*cannot load .*load.js: no config for this account/],
      ['throws while extending', 'extend.js', { 'extend.js': 'module.exports = () => { throw new Error("bucket name taken"); };' }, /"extend.js".*failed: bucket name taken/],
      ['exports no function', 'extend.js', { 'extend.js': 'module.exports = { bucket: true };' }, /"extend.js".*must export a function/],
      ['is asynchronous', 'extend.js', { 'extend.js': 'module.exports = async () => {};' }, /"extend.js".*returned a promise/],
      ['leaves the app directory', '../extend.js', {}, /extension: extension "..\/extend.js" must be a relative path inside the app directory/],
      ['is not a module', 'extend.json', {}, /extension: must name a .js, .cjs, .ts or .cts module/],
    ])('exits 2 with a clear message when the extension %s', async (_, extension, files, message) => {
      const result = await run('synth', appWith(extension, files), '--prefix', 'lg', '--stage', 'dev');
      expect(result.code).toBe(EXIT_BAD_INPUT);
      expect(result.stdout).toEqual([]);
      expect(result.stderr.join('\n')).toMatch(message);
    });
  });

  it('synthesizes a manifest app in-process from a branch and checks it', async () => {
    const out = join(dir, 'templates');
    const result = await run('synth', appDir, '--branch', 'feature/wo-7-x', '--stage', 'dev', '--out', out, '--json');
    expect(result.code).toBe(EXIT_OK);
    const json = JSON.parse(result.stdout.join('\n'));
    expect(json).toMatchObject({ ok: true, stackName: 'wo-7-dev', findings: [] });
    expect(await run('check', join(out, 'wo-7-dev.template.json'))).toMatchObject({ code: EXIT_OK });
  });

  it("tags the stack with CI's branch and commit (GITHUB_REF_NAME, GITHUB_SHA)", async () => {
    const saved = { ref: process.env.GITHUB_REF_NAME, sha: process.env.GITHUB_SHA };
    process.env.GITHUB_REF_NAME = 'feature/wo-8-y';
    process.env.GITHUB_SHA = 'deadbeef';
    try {
      const out = join(dir, 'ci-templates');
      const result = await run('synth', appDir, '--prefix', 'wo-8', '--stage', 'dev', '--out', out);
      expect(result.code).toBe(EXIT_OK);
      const template = JSON.parse(readFileSync(join(out, 'wo-8-dev.template.json'), 'utf8'));
      const tagged = Object.values(template.Resources as Record<string, { Properties?: { Tags?: unknown } }>).filter(
        r => Array.isArray(r.Properties?.Tags),
      );
      expect(tagged.length).toBeGreaterThan(0);
      for (const r of tagged) {
        expect(r.Properties!.Tags).toEqual(
          expect.arrayContaining([
            { Key: 'stackyard:branch', Value: 'feature/wo-8-y' },
            { Key: 'stackyard:commit', Value: 'deadbeef' },
          ]),
        );
      }
    } finally {
      for (const [key, value] of [['GITHUB_REF_NAME', saved.ref], ['GITHUB_SHA', saved.sha]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
