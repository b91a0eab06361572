import { resolveStageConfig } from '../stages/stageConfig';
import {
  ACKNOWLEDGEMENTS_METADATA_KEY,
  acknowledgementVerdict,
  isExpiryDate,
} from './acknowledgements';
import { evaluateTemplate, formatFinding } from './evaluateTemplate';
import { UNUSED_ACKNOWLEDGEMENT_RULE_ID } from './metaRules';
import { PolicyRule, RulePack, compliant, nonCompliant, notApplicable } from './types';

/** A queue without a dead-letter queue: SY-SQS-DLQ finds it. */
function queue(acks: object[], path = 'svc-dev/Jobs/Resource') {
  return {
    Type: 'AWS::SQS::Queue',
    Properties: {
      Tags: [
        { Key: 'Project', Value: 'p' },
        { Key: 'Environment', Value: 'e' },
        { Key: 'CostCenter', Value: 'c' },
      ],
    },
    Metadata: { 'aws:cdk:path': path, [ACKNOWLEDGEMENTS_METADATA_KEY]: acks },
  };
}

const stage = resolveStageConfig('dev');
const now = new Date('2026-06-15T23:59:59Z');
const judge = (resources: Record<string, object>, packs?: RulePack[]) =>
  evaluateTemplate({ Resources: resources }, { stack: 'svc-dev', stage, now, packs });
const reason = 'fan-out queue whose messages are disposable';

describe('isExpiryDate', () => {
  it.each(['2026-06-15', '2024-02-29'])('accepts %s', d => expect(isExpiryDate(d)).toBe(true));
  it.each(['2026-02-30', '2026-13-01', '2026-6-15', '15.06.2026', '2026-06-15T00:00:00Z', 20260615, undefined])(
    'refuses %p',
    d => expect(isExpiryDate(d)).toBe(false),
  );
});

describe('acknowledgementVerdict', () => {
  it('accepts until the day before its expiry date (UTC)', () => {
    expect(acknowledgementVerdict({ rule: 'X-Y', reason, expires: '2026-06-16' }, '2026-06-15')).toEqual({ accepts: true });
    expect(acknowledgementVerdict({ rule: 'X-Y', reason }, '2999-01-01')).toEqual({ accepts: true });
    expect(acknowledgementVerdict({ rule: 'X-Y', reason, expires: '2026-06-15' }, '2026-06-15')).toEqual({
      accepts: false,
      problem: expect.stringContaining('expired on 2026-06-15'),
    });
  });
});

describe('acknowledgements with an expiry date', () => {
  it('accept the finding before the date and record it', () => {
    const report = judge({ Jobs: queue([{ rule: 'SY-SQS-DLQ', reason, expires: '2026-06-16' }]) });
    expect(report.findings).toEqual([]);
    expect(report.acknowledged).toEqual([
      expect.objectContaining({ ruleId: 'SY-SQS-DLQ', reason, expires: '2026-06-16' }),
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('fail the finding from the date on, saying when the acknowledgement expired', () => {
    const report = judge({ Jobs: queue([{ rule: 'SY-SQS-DLQ', reason, expires: '2026-06-15' }]) });
    expect(report.acknowledged).toEqual([]);
    expect(report.findings.map(formatFinding)).toEqual([
      `SY-SQS-DLQ svc-dev/Jobs/Resource: no RedrivePolicy.deadLetterTargetArn: messages that keep failing would be retried until they expire; its acknowledgement expired on 2026-06-15 (reason: "${reason}"): fix it or renew the acknowledgement with a later date`,
    ]);
    // an expired acknowledgement that matched a finding is not also "unused"
    expect(report.warnings).toEqual([]);
  });

  it('fail the finding with a clear message when the date is not a date', () => {
    const report = judge({ Jobs: queue([{ rule: 'SY-SQS-DLQ', reason, expires: '2026-02-30' }]) });
    expect(report.acknowledged).toEqual([]);
    expect(report.findings.map(f => f.message)).toEqual([
      expect.stringMatching(/; its acknowledgement is not accepted: expires "2026-02-30" is not a date written YYYY-MM-DD$/),
    ]);
  });
});

describe('unused acknowledgements', () => {
  it('are reported as warnings, per acknowledgement, naming its rule and reason', () => {
    const report = judge({
      Jobs: queue([
        { rule: 'SY-SQS-DLQ', reason },
        { rule: 'SY-TAGS', reason: 'tags come from the organisation policy' },
      ]),
    });
    expect(report.findings).toEqual([]);
    expect(report.warnings.map(formatFinding)).toEqual([
      'SY-ACK-UNUSED svc-dev/Jobs/Resource: the acknowledgement of SY-TAGS (reason: "tags come from the organisation policy") accepts no finding on this resource: remove it',
    ]);
  });

  it('count the resources of one acknowledgeRule call (same scope) together', () => {
    const scoped = (scope: string) => [{ rule: 'SY-SQS-DLQ', reason, scope }];
    const withDlq = {
      ...queue(scoped('svc-dev/Group'), 'svc-dev/Group/Fine/Resource'),
      Properties: { ...queue([]).Properties, RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:x', maxReceiveCount: 3 } },
    };
    const used = judge({
      Bad: queue(scoped('svc-dev/Group'), 'svc-dev/Group/Bad/Resource'),
      Fine: withDlq,
    });
    expect(used.warnings).toEqual([]);
    expect(used.acknowledged.map(a => a.logicalId)).toEqual(['Bad']);

    const unused = judge({ Fine: withDlq, Other: { ...withDlq } });
    expect(unused.warnings).toEqual([
      expect.objectContaining({
        ruleId: UNUSED_ACKNOWLEDGEMENT_RULE_ID,
        path: 'Group',
        message: expect.stringContaining('accepts no finding on any of its 2 resources'),
      }),
    ]);
  });

  it('include acknowledgements of rules that no pack applies', () => {
    const report = judge({ Jobs: queue([{ rule: 'SY-NOPE', reason }]) }, []);
    expect(report.warnings.map(w => w.ruleId)).toEqual([UNUSED_ACKNOWLEDGEMENT_RULE_ID]);
  });
});

describe('severity', () => {
  const bucketVersioning: PolicyRule = {
    id: 'TEST-VERSIONING',
    severity: 'warning',
    description: 'Buckets are versioned',
    evaluate: r => {
      if (r.type !== 'AWS::S3::Bucket') return notApplicable;
      return r.properties.VersioningConfiguration ? compliant : nonCompliant('versioning is off');
    },
  };
  const noSeverity: PolicyRule = {
    id: 'TEST-ENCRYPTION',
    description: 'Buckets are encrypted',
    evaluate: r => (r.type !== 'AWS::S3::Bucket' ? notApplicable : nonCompliant('no encryption')),
  };
  const pack = { name: 'test', rules: [bucketVersioning, noSeverity] };

  it('reports findings of warning rules as warnings, which never fail, and defaults to error', () => {
    const report = judge({ B: { Type: 'AWS::S3::Bucket' } }, [pack]);
    expect(report.warnings.map(f => `${f.ruleId}: ${f.message}`)).toEqual(['TEST-VERSIONING: versioning is off']);
    expect(report.findings.map(f => `${f.ruleId}: ${f.message}`)).toEqual(['TEST-ENCRYPTION: no encryption']);
  });

  it('moves acknowledged warnings aside like errors', () => {
    const report = judge(
      { B: { Type: 'AWS::S3::Bucket', Metadata: { [ACKNOWLEDGEMENTS_METADATA_KEY]: [{ rule: 'TEST-VERSIONING', reason }] } } },
      [pack],
    );
    expect(report.warnings).toEqual([]);
    expect(report.acknowledged.map(a => a.ruleId)).toEqual(['TEST-VERSIONING']);
  });

  it('lists the checks that passed, not those that do not apply', () => {
    const report = judge({ B: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } }, T: { Type: 'AWS::SNS::Topic' } }, [pack]);
    expect(report.passed).toEqual([{ ruleId: 'TEST-VERSIONING', stack: 'svc-dev', logicalId: 'B', resourceType: 'AWS::S3::Bucket' }]);
  });
});
