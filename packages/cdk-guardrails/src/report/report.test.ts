import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { SaxesParser } from 'saxes';
import { ACKNOWLEDGEMENTS_METADATA_KEY } from '../policy/acknowledgements';
import { evaluateTemplate } from '../policy/evaluateTemplate';
import { stackyardCorePack } from '../policy/packs/stackyardCore';
import type { PolicyRule, RulePack } from '../policy/types';
import { resolveStageConfig } from '../stages/stageConfig';
import { FINGERPRINT_KEY, ReportInput, jsonReport, junitReport, readRuleDoc, ruleDocsUrl, sarifReport, textReport } from '.';

expect.extend({ toBeValidSarifLog });

const HOSTILE = 'Jobs <&"\'>';
const tags = [
  { Key: 'Project', Value: 'p' },
  { Key: 'Environment', Value: 'e' },
  { Key: 'CostCenter', Value: 'c' },
];
const reason = 'fan-out queue whose messages are disposable';
const template = {
  Resources: {
    Hostile: {
      Type: 'AWS::SQS::Queue',
      Properties: { Tags: tags },
      Metadata: { 'aws:cdk:path': `wo-42-dev/${HOSTILE}/Resource` },
    },
    Accepted: {
      Type: 'AWS::SQS::Queue',
      Properties: { Tags: tags },
      Metadata: {
        'aws:cdk:path': 'wo-42-dev/Accepted/Resource',
        [ACKNOWLEDGEMENTS_METADATA_KEY]: [
          { rule: 'SY-SQS-DLQ', reason, expires: '2999-01-01', scope: 'wo-42-dev/Accepted' },
          { rule: 'SY-TAGS', reason: 'left over from an old change', scope: 'wo-42-dev/Accepted' },
        ],
      },
    },
  },
};
const lookAtQueues: PolicyRule = {
  id: 'TEST-LOOK',
  severity: 'warning',
  description: 'Queues are looked at',
  evaluate: r => (r.type === 'AWS::SQS::Queue' && r.logicalId === 'Hostile'
    ? { status: 'non-compliant', message: 'worth a look' }
    : { status: 'not-applicable' }),
};
const packs: RulePack[] = [stackyardCorePack, { name: 'test', rules: [lookAtQueues] }];

function inputFor(prefix: string): ReportInput {
  const stack = `${prefix}-dev`;
  const t = JSON.parse(JSON.stringify(template).replace(/wo-42-dev/g, stack));
  return {
    report: evaluateTemplate(t, { stack, stackPath: stack, stage: resolveStageConfig('dev'), packs }),
    packs,
    locate: f => ({ uri: 'stackyard.yaml', line: f.logicalId === 'Hostile' ? 12 : 3 }),
    stackKey: s => (s.startsWith(`${prefix}-`) ? s.slice(prefix.length + 1) : s),
    extra: { stackName: stack },
  };
}
const input = inputFor('wo-42');

describe('the report input', () => {
  it('has a failure, a warning, an unused acknowledgement, an acknowledged finding and passed checks', () => {
    const { report } = input;
    expect(report.findings.map(f => `${f.ruleId} ${f.path}`)).toEqual([`SY-SQS-DLQ ${HOSTILE}/Resource`]);
    expect(report.warnings.map(f => `${f.ruleId} ${f.path}`)).toEqual([
      `TEST-LOOK ${HOSTILE}/Resource`,
      'SY-ACK-UNUSED Accepted',
    ]);
    expect(report.acknowledged.map(f => `${f.ruleId} ${f.path}`)).toEqual(['SY-SQS-DLQ Accepted/Resource']);
    expect(report.passed.map(f => `${f.ruleId} ${f.path}`)).toEqual([
      `SY-TAGS ${HOSTILE}/Resource`,
      'SY-TAGS Accepted/Resource',
    ]);
  });
});

describe('sarifReport', () => {
  const sarif = JSON.parse(sarifReport(input));
  const run = sarif.runs[0];

  it('is a valid SARIF 2.1.0 log', () => {
    expect(sarif).toBeValidSarifLog();
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    // the validator does refuse what is not SARIF 2.1.0
    expect({ ...sarif, version: '2.0.0' }).not.toBeValidSarifLog();
    expect({ ...sarif, runs: [{ ...run, results: [{ ...run.results[0], level: 'fatal' }] }] }).not.toBeValidSarifLog();
  });

  it('describes the tool and every rule, linked to its page', () => {
    expect(run.tool.driver).toMatchObject({
      name: 'stackyard',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      informationUri: expect.stringMatching(/^https:\/\//),
    });
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...stackyardCorePack.rules.map(r => r.id), 'TEST-LOOK', 'SY-ACK-UNUSED']));
    const dlq = run.tool.driver.rules.find((r: { id: string }) => r.id === 'SY-SQS-DLQ');
    expect(dlq).toEqual({
      id: 'SY-SQS-DLQ',
      name: 'SySqsDlq',
      shortDescription: { text: stackyardCorePack.rules.find(r => r.id === 'SY-SQS-DLQ')!.description },
      fullDescription: { text: expect.stringMatching(/^A message its consumer cannot process/) },
      helpUri: ruleDocsUrl('SY-SQS-DLQ'),
      help: { text: readRuleDoc('SY-SQS-DLQ')!.markdown, markdown: readRuleDoc('SY-SQS-DLQ')!.markdown },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['stackyard', 'infrastructure'] },
    });
    const look = run.tool.driver.rules.find((r: { id: string }) => r.id === 'TEST-LOOK');
    expect(look.defaultConfiguration).toEqual({ level: 'warning' });
  });

  it('has one result per finding with rule index, level, location and logical location', () => {
    expect(run.results.map((r: any) => [r.ruleId, r.level, r.suppressions?.[0]?.kind ?? null])).toEqual([
      ['SY-SQS-DLQ', 'error', null],
      ['TEST-LOOK', 'warning', null],
      ['SY-ACK-UNUSED', 'warning', null],
      ['SY-SQS-DLQ', 'error', 'inSource'],
    ]);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    expect(run.results[0]).toMatchObject({
      message: { text: expect.stringContaining(`wo-42-dev/${HOSTILE}/Resource: no RedrivePolicy`) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'stackyard.yaml' }, region: { startLine: 12 } },
          logicalLocations: [{ name: `${HOSTILE}/Resource`, fullyQualifiedName: `wo-42-dev/${HOSTILE}/Resource`, kind: 'resource' }],
        },
      ],
    });
  });

  it('writes acknowledged findings as suppressed in source, with the reason', () => {
    expect(run.results[3].suppressions).toEqual([{ kind: 'inSource', justification: `${reason} (until 2999-01-01)` }]);
  });

  it('fingerprints findings the same across runs and branches, and differently per finding', () => {
    const other = JSON.parse(sarifReport(inputFor('wo'))).runs[0].results;
    const prints = run.results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(other.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY])).toEqual(prints);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

/** Parses XML strictly; returns the test cases with their children. */
function parseJUnit(xml: string) {
  const parser = new SaxesParser();
  const cases: { classname: string; name: string; children: Record<string, string>[]; text: string }[] = [];
  const suites: Record<string, string>[] = [];
  let root: Record<string, string> | undefined;
  let text = '';
  parser.on('opentag', tag => {
    const attrs = tag.attributes as Record<string, string>;
    if (tag.name === 'testsuites') root = attrs;
    if (tag.name === 'testsuite') suites.push(attrs);
    if (tag.name === 'testcase') {
      cases.push({ classname: attrs.classname, name: attrs.name, children: [], text: '' });
      text = '';
    } else if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
      cases[cases.length - 1].children.push({ tag: tag.name, ...attrs });
    }
  });
  parser.on('text', t => {
    text += t;
  });
  parser.on('closetag', tag => {
    if (tag.name === 'testcase') cases[cases.length - 1].text = text.trim();
  });
  parser.write(xml).close();
  return { root: root!, suites, cases };
}

describe('junitReport', () => {
  const xml = junitReport(input);
  const { root, suites, cases } = parseJUnit(xml);

  it('is well-formed XML whose user values survive escaping', () => {
    expect(xml).toContain('&lt;&amp;&quot;&apos;&gt;');
    expect(cases.map(c => c.classname)).toContain(`wo-42-dev/${HOSTILE}/Resource`);
  });

  it('has one test case per rule and resource it applies to', () => {
    expect(cases.map(c => `${c.classname} ${c.name} ${c.children.map(ch => ch.tag).join(',')}`).sort()).toEqual(
      [
        `wo-42-dev/${HOSTILE}/Resource SY-SQS-DLQ failure`,
        `wo-42-dev/${HOSTILE}/Resource SY-TAGS `,
        `wo-42-dev/${HOSTILE}/Resource TEST-LOOK system-out`,
        'wo-42-dev/Accepted SY-ACK-UNUSED system-out',
        'wo-42-dev/Accepted/Resource SY-SQS-DLQ skipped',
        'wo-42-dev/Accepted/Resource SY-TAGS ',
      ].sort(),
    );
    expect(root).toMatchObject({ tests: '6', failures: '1', skipped: '1', errors: '0' });
    expect(suites).toEqual([expect.objectContaining({ name: 'wo-42-dev', tests: '6', failures: '1' })]);
  });

  it('says what failed, why a case was skipped and what a warning is, with the docs', () => {
    const failure = cases.find(c => c.name === 'SY-SQS-DLQ' && c.children[0].tag === 'failure')!;
    expect(failure.children[0]).toMatchObject({ type: 'SY-SQS-DLQ', message: expect.stringMatching(/^no RedrivePolicy/) });
    expect(failure.text).toContain(`see ${ruleDocsUrl('SY-SQS-DLQ')}`);
    const skipped = cases.find(c => c.children[0]?.tag === 'skipped')!;
    expect(skipped.children[0].message).toBe(`acknowledged (until 2999-01-01): ${reason}`);
    const warning = cases.find(c => c.name === 'TEST-LOOK')!;
    expect(warning.text).toBe(`warning: worth a look\nsee ${ruleDocsUrl('TEST-LOOK')}`);
  });
});

describe('jsonReport', () => {
  it('lists findings, warnings and acknowledged findings with severity and docs', () => {
    const json = JSON.parse(jsonReport(input));
    expect(json).toMatchObject({ ok: false, stackName: 'wo-42-dev' });
    expect(json.findings).toEqual([
      expect.objectContaining({ ruleId: 'SY-SQS-DLQ', severity: 'error', docs: ruleDocsUrl('SY-SQS-DLQ'), path: `${HOSTILE}/Resource` }),
    ]);
    expect(json.warnings.map((w: any) => [w.ruleId, w.severity])).toEqual([
      ['TEST-LOOK', 'warning'],
      ['SY-ACK-UNUSED', 'warning'],
    ]);
    expect(json.acknowledged).toEqual([expect.objectContaining({ ruleId: 'SY-SQS-DLQ', reason, expires: '2999-01-01' })]);
  });
});

describe('textReport', () => {
  it('prints failures on stdout and warnings and the summary on stderr, each with its docs', () => {
    expect(textReport(input)).toEqual({
      stdout: [expect.stringMatching(new RegExp(`^SY-SQS-DLQ wo-42-dev/Jobs <&"'>/Resource: no RedrivePolicy.* \\(see ${ruleDocsUrl('SY-SQS-DLQ')}\\)$`))],
      stderr: [
        `warning: TEST-LOOK wo-42-dev/${HOSTILE}/Resource: worth a look (see ${ruleDocsUrl('TEST-LOOK')})`,
        expect.stringMatching(/^warning: SY-ACK-UNUSED wo-42-dev\/Accepted: the acknowledgement of SY-TAGS/),
        '1 finding(s), 2 warning(s), 1 acknowledged',
      ],
    });
  });
});
