import { PRICED_RESOURCE_TYPES, estimateFixedCost } from '@stackyard/plugin-stackyard-common';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { acknowledgeRule } from '../policy/acknowledge';
import { evaluateTemplate, formatFinding } from '../policy/evaluateTemplate';
import { stageOfTemplate } from '../policy/templateStage';
import { buildService } from './buildService';
import { ManifestError } from './ManifestError';
import { parseManifest } from './loadManifest';
import type { ServiceExtension } from './service';

const manifestText = (stages: string) => `service:
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
stages:
${stages}`;

const withBudgets = manifestText(`  prod:
    budget:
      monthlyUsd: 200
      notifyEmails: [team@example.com]
  staging:
    alarmsEnabled: false
    budget:
      monthlyUsd: 40
      alertAtPercent: 100
`);

function build(text: string, stage: string, extension: ServiceExtension = () => {}) {
  const app = new App({ stackTraces: false });
  const service = buildService(app, parseManifest(text), { prefix: 'wo-42', stage, extension });
  return { service, template: Template.fromStack(service.stack).toJSON() };
}

const policyOf = (template: any) =>
  evaluateTemplate(template, { stack: 'wo-42-prod', stackPath: 'wo-42-prod', stage: stageOfTemplate(template) });

const ofType = (template: any, type: string): any[] =>
  Object.entries(template.Resources as Record<string, any>)
    .filter(([, r]) => r.Type === type)
    .map(([logicalId, r]) => ({ logicalId, ...r }));

describe('buildService with a stage budget', () => {
  it("gives the built stage its budget, alerting the alarms' topic, and passes the policy", () => {
    const { service, template } = build(withBudgets, 'prod');
    const [budget] = ofType(template, 'AWS::Budgets::Budget');
    expect(budget.Properties.Budget).toMatchObject({
      BudgetName: 'wo-42-prod-monthly',
      BudgetLimit: { Amount: 200, Unit: 'USD' },
      FilterExpression: {
        And: [
          { Tags: { Key: 'stackyard:prefix', Values: ['wo-42'] } },
          { Tags: { Key: 'stackyard:stage', Values: ['prod'] } },
        ],
      },
    });
    const [topic] = ofType(template, 'AWS::SNS::Topic');
    expect(topic.logicalId).toMatch(/^AlarmsTopic/);
    expect(budget.Properties.NotificationsWithSubscribers).toEqual([
      {
        Notification: expect.objectContaining({ NotificationType: 'ACTUAL', Threshold: 80 }),
        Subscribers: [
          { SubscriptionType: 'SNS', Address: { Ref: topic.logicalId } },
          { SubscriptionType: 'EMAIL', Address: 'team@example.com' },
        ],
      },
    ]);
    expect(service.budget?.topic).toBe(service.alarms.topic);
    const report = policyOf(template);
    expect(report.findings).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.passed).toContainEqual(expect.objectContaining({ ruleId: 'SY-BUDGET-PRODUCTION', resourceType: 'AWS::Budgets::Budget' }));
  });

  it('gives a stage without alarms a topic of its own', () => {
    const { template } = build(withBudgets, 'staging');
    const [budget] = ofType(template, 'AWS::Budgets::Budget');
    expect(budget.Properties.Budget.BudgetName).toBe('wo-42-staging-monthly');
    expect(budget.Properties.NotificationsWithSubscribers[0].Notification.Threshold).toBe(100);
    const [topic] = ofType(template, 'AWS::SNS::Topic');
    expect(topic.logicalId).toMatch(/^BudgetTopic/);
  });

  it('gives other stages no budget, and keeps the budget out of the stage config', () => {
    const { service, template } = build(withBudgets, 'dev');
    expect(ofType(template, 'AWS::Budgets::Budget')).toEqual([]);
    expect(service.budget).toBeUndefined();
    const prod = build(withBudgets, 'prod').service.stack.stageConfig;
    expect(Object.keys(prod)).not.toContain('budget');
  });

  it('adds no fixed cost and nothing "not priced" to the estimate of the stack', async () => {
    // Budgets of cost type are free of charge: the estimator has no pricer for them.
    expect(PRICED_RESOURCE_TYPES).not.toContain('AWS::Budgets::Budget');
    const { template } = build(withBudgets, 'staging');
    const asked: unknown[] = [];
    const estimate = await estimateFixedCost(template, {
      region: 'eu-west-1',
      prices: async query => {
        asked.push(query);
        return { usd: 1, unit: 'Hrs' };
      },
    });
    expect(asked).toEqual([]);
    expect(estimate).toMatchObject({ monthlyUsd: 0, lineItems: [], unpriced: [] });
    expect(estimate.summary).toBe('Estimated fixed cost: $0.00/month in eu-west-1 (no fixed-cost resources)');
  });

  it('warns once, without failing, about a production stack without a budget, and takes an acknowledgement of the stack', () => {
    const bare = manifestText('  staging:\n    budget:\n      monthlyUsd: 40\n');
    const warned = policyOf(build(bare, 'prod').template);
    expect(warned.findings).toEqual([]);
    expect(warned.warnings.map(formatFinding)).toEqual([
      expect.stringMatching(/^SY-BUDGET-PRODUCTION wo-42-prod\/Worker\w+: the stack of production stage "prod" has no AWS::Budgets::Budget/),
    ]);
    const accepted = policyOf(
      build(bare, 'prod', service => acknowledgeRule(service.stack, 'SY-BUDGET-PRODUCTION', 'billed to a fixed-price account with its own alerts')).template,
    );
    expect(accepted.warnings).toEqual([]);
    expect(accepted.acknowledged.map(f => f.ruleId)).toEqual(['SY-BUDGET-PRODUCTION']);
  });

  it.each<[string, string, number | undefined, RegExp]>([
    ['monthlyUsd: 0', 'stages.prod.budget.monthlyUsd', 16, /Too small/],
    ['monthlyUsd: 10\n      alertAtPercent: 1001', 'stages.prod.budget.alertAtPercent', 17, /Too big/],
    ['monthlyUsd: 10\n      notifyEmails: [team]', 'stages.prod.budget.notifyEmails.0', 17, /must be one email address like team@example.com/],
    ['monthlyUsd: 10\n      notifyEmails: [a@example.com, a@example.com]', 'stages.prod.budget.notifyEmails', 17, /must not repeat an address/],
    // A missing key has no line of its own.
    ['alertAtPercent: 50', 'stages.prod.budget.monthlyUsd', undefined, /expected number, received undefined/],
    ['monthlyUsd: 10\n      currency: EUR', 'stages.prod.budget.currency', 17, /unknown key "currency"/],
  ])('refuses a budget with %s at its path and line', (budget, path, line, message) => {
    const text = manifestText(`  prod:\n    budget:\n      ${budget}\n`);
    let issues: ManifestError['issues'] = [];
    try {
      parseManifest(text, 'stackyard.yaml');
    } catch (e) {
      issues = (e as ManifestError).issues;
    }
    expect(issues).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
    expect(issues[0].line).toBe(line);
  });
});
