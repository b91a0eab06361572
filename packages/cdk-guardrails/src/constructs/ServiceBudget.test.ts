import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceAlarms } from './ServiceAlarms';
import { ServiceBudget, ServiceBudgetProps } from './ServiceBudget';
import { testStack } from './testing';

function budgetOf(props: ServiceBudgetProps, stage = 'dev') {
  const stack = testStack({ stage });
  const budget = new ServiceBudget(stack, 'Budget', props);
  return { stack, budget, template: Template.fromStack(stack) };
}

describe('ServiceBudget', () => {
  it('is a monthly COST budget in USD of the resources tagged with the stack prefix and stage', () => {
    const { template, budget } = budgetOf({ monthlyUsd: 200 });
    expect(budget.budgetName).toBe('wo-42-dev-monthly');
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'wo-42-dev-monthly',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 200, Unit: 'USD' },
        Metrics: ['UnblendedCost'],
        FilterExpression: {
          And: [
            { Tags: { Key: 'stackyard:prefix', Values: ['wo-42'], MatchOptions: ['EQUALS'] } },
            { Tags: { Key: 'stackyard:stage', Values: ['dev'], MatchOptions: ['EQUALS'] } },
          ],
        },
      },
    });
    const [resource] = Object.values(template.findResources('AWS::Budgets::Budget'));
    // Filtered by the expression alone (CostFilters would OR the tags).
    expect(resource.Properties.Budget.CostFilters).toBeUndefined();
    expect(resource.Properties.Budget.CostTypes).toBeUndefined();
  });

  it('alerts its own topic at 80 % of actual spend by default, and lets only Budgets of this account publish', () => {
    const { template, budget } = budgetOf({ monthlyUsd: 50 });
    expect(budget.alertAtPercent).toBe(80);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    template.hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 80,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }],
        },
      ],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'BudgetsPublish',
            Effect: 'Allow',
            Principal: { Service: 'budgets.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    // Created after the policy: Budgets checks it may publish.
    const [budgetResource] = Object.values(template.findResources('AWS::Budgets::Budget'));
    expect(budgetResource.DependsOn).toEqual([expect.stringMatching(/^BudgetTopicPolicy/)]);
  });

  it('mails the given addresses at the given threshold, and carries the cost tags itself', () => {
    const { template } = budgetOf({
      monthlyUsd: 1200.5,
      alertAtPercent: 110,
      notifyEmails: ['team@example.com', 'oncall@example.org'],
    });
    const [resource] = Object.values(template.findResources('AWS::Budgets::Budget'));
    const [notification] = resource.Properties.NotificationsWithSubscribers;
    expect(notification.Notification.Threshold).toBe(110);
    expect(notification.Subscribers.slice(1)).toEqual([
      { SubscriptionType: 'EMAIL', Address: 'team@example.com' },
      { SubscriptionType: 'EMAIL', Address: 'oncall@example.org' },
    ]);
    expect(resource.Properties.Budget.BudgetLimit).toEqual({ Amount: 1200.5, Unit: 'USD' });
    expect(resource.Properties.ResourceTags).toEqual(
      expect.arrayContaining([
        { Key: 'Project', Value: 'wo' },
        { Key: 'Environment', Value: 'dev' },
        { Key: 'CostCenter', Value: 'cc-1' },
      ]),
    );
  });

  it("alerts the alarms' topic when given it, instead of a topic of its own", () => {
    const stack = testStack({ stage: 'prod' });
    const alarms = new ServiceAlarms(stack, 'Alarms');
    new ServiceBudget(stack, 'Budget', { monthlyUsd: 300, topic: alarms.topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    expect(topicId).toMatch(/^AlarmsTopic/);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetName: 'wo-42-prod-monthly' },
      NotificationsWithSubscribers: [{ Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }] }],
    });
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(1);
    const sids = policies[0].Properties.PolicyDocument.Statement.map((s: { Sid?: string }) => s.Sid);
    expect(sids).toContain('BudgetsPublish');
  });

  it.each<[string, ServiceBudgetProps, RegExp]>([
    ['a limit of 0', { monthlyUsd: 0 }, /monthlyUsd 0 is not allowed: a number of US dollars greater than 0/],
    ['a negative limit', { monthlyUsd: -5 }, /monthlyUsd -5 is not allowed/],
    ['a limit that is not a number', { monthlyUsd: NaN }, /monthlyUsd null is not allowed/],
    ['a threshold of 0', { monthlyUsd: 10, alertAtPercent: 0 }, /alertAtPercent 0 is not allowed: a percentage from 1 to 1000/],
    ['a threshold above 1000', { monthlyUsd: 10, alertAtPercent: 1500 }, /alertAtPercent 1500 is not allowed/],
    ['an address without a domain', { monthlyUsd: 10, notifyEmails: ['team'] }, /notifyEmails\[0\] "team" is not allowed: an email address like team@example.com/],
    ['two addresses in one', { monthlyUsd: 10, notifyEmails: ['ok@example.com', 'a@example.com,b@example.com'] }, /notifyEmails\[1\] "a@example.com,b@example.com" is not allowed/],
    ['a repeated address', { monthlyUsd: 10, notifyEmails: ['a@example.com', 'a@example.com'] }, /notifyEmails \["a@example.com","a@example.com"\] is not allowed: at most 10 distinct addresses/],
    ['eleven addresses', { monthlyUsd: 10, notifyEmails: Array.from({ length: 11 }, (_, i) => `u${i}@example.com`) }, /notifyEmails \[.*\] is not allowed: at most 10 distinct/],
  ])('refuses %s, quoting the value and the construct path', (_, props, message) => {
    expect(() => budgetOf(props)).toThrow(message);
    expect(() => budgetOf(props)).toThrow(/^\[Svc\/Budget\] invalid ServiceBudget props: /);
  });

  it('needs cost tags outside a ServiceStack, and uses the ones given', () => {
    const stack = new Stack(new App(), 'Plain');
    expect(() => new ServiceBudget(stack, 'Budget', { monthlyUsd: 10 })).toThrow(
      /^\[Plain\/Budget\] invalid ServiceBudget props: costTags null is not allowed: at least one tag/,
    );
    new ServiceBudget(stack, 'Tagged', { monthlyUsd: 10, costTags: { Project: 'wo' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { FilterExpression: { Tags: { Key: 'Project', Values: ['wo'], MatchOptions: ['EQUALS'] } } },
    });
  });

  it('refuses a topic it cannot let Budgets publish to', () => {
    const stack = testStack();
    const imported = sns.Topic.fromTopicArn(stack, 'Shared', 'arn:aws:sns:eu-west-1:123456789012:shared');
    expect(() => new ServiceBudget(stack, 'Budget', { monthlyUsd: 10, topic: imported })).toThrow(
      /^\[Svc\/Budget\] invalid ServiceBudget props: topic "Svc\/Shared" is not allowed: a topic this stack creates/,
    );
  });
});
