import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SERVICE_TAG_KEYS, ServiceStack } from './ServiceStack';
import {
  BUDGET_ALERT_PERCENT_RANGE,
  BUDGET_EMAIL,
  DEFAULT_BUDGET_ALERT_PERCENT,
  MAX_BUDGET_EMAILS,
  MAX_EMAIL_LENGTH,
} from './ServiceBudgetLimits';
import { validateProps } from './validation';

/** Properties of a {@link ServiceBudget}. */
export interface ServiceBudgetProps {
  /** The monthly limit in US dollars, greater than 0. */
  readonly monthlyUsd: number;
  /**
   * When to alert: the percentage of `monthlyUsd` that ACTUAL spend this
   * month reaches, 1 to 1000.
   *
   * @default 80
   */
  readonly alertAtPercent?: number;
  /**
   * Email addresses the budget alerts besides the topic, at most 10 (what
   * Budgets allows per notification). Budgets mails them itself, so they
   * need no subscription to confirm and get no alarm mail of the topic.
   *
   * @default - none; the alert goes to the topic only
   */
  readonly notifyEmails?: readonly string[];
  /**
   * The topic the alert is published to, one this stack creates: its
   * policy is extended to let Budgets publish.
   *
   * @default - a new topic
   */
  readonly topic?: sns.ITopic;
  /**
   * The cost allocation tags whose resources the budget counts (every tag
   * must match).
   *
   * @default - the ServiceStack's `stackyard:prefix` and `stackyard:stage`
   */
  readonly costTags?: Readonly<Record<string, string>>;
}

/** The longest budget name Budgets accepts. */
const MAX_BUDGET_NAME = 100;

/**
 * A monthly COST budget (USD) of the stack's own resources that alerts an
 * SNS topic — and optionally email addresses — when ACTUAL spend reaches a
 * share of the limit. The budget counts the cost of resources carrying the
 * stack's `stackyard:prefix` and `stackyard:stage` tags, the pair the
 * portal's Cost Explorer figures group by, so both show the same money. Those
 * tags must be activated as cost allocation tags in the payer account (Billing
 * console), or the budget counts nothing. The budget is named after the stack
 * (unique per account and region) with `-monthly`.
 */
export class ServiceBudget extends Construct {
  /** The budget. */
  readonly budget: budgets.CfnBudget;
  /** The topic the alert is published to. */
  readonly topic: sns.ITopic;
  /** The budget's name, `<stack name>-monthly`. */
  readonly budgetName: string;
  /** The alert threshold, percent of the limit. */
  readonly alertAtPercent: number;

  constructor(scope: Construct, id: string, props: ServiceBudgetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const alertAtPercent = props.alertAtPercent ?? DEFAULT_BUDGET_ALERT_PERCENT;
    const emails = props.notifyEmails ?? [];
    const costTags = props.costTags ?? defaultCostTags(stack);
    this.budgetName = `${stack.stackName}-monthly`;
    validateProps(this, 'ServiceBudget', [
      {
        prop: 'monthlyUsd',
        value: props.monthlyUsd,
        ok: typeof props.monthlyUsd === 'number' && Number.isFinite(props.monthlyUsd) && props.monthlyUsd > 0,
        allowed: 'a number of US dollars greater than 0',
      },
      {
        prop: 'alertAtPercent',
        value: props.alertAtPercent,
        ok:
          typeof alertAtPercent === 'number' &&
          alertAtPercent >= BUDGET_ALERT_PERCENT_RANGE.min &&
          alertAtPercent <= BUDGET_ALERT_PERCENT_RANGE.max,
        allowed: `a percentage from ${BUDGET_ALERT_PERCENT_RANGE.min} to ${BUDGET_ALERT_PERCENT_RANGE.max}`,
      },
      ...emails.map((email, i) => ({
        prop: `notifyEmails[${i}]`,
        value: email,
        ok: typeof email === 'string' && BUDGET_EMAIL.test(email) && email.length <= MAX_EMAIL_LENGTH,
        allowed: 'an email address like team@example.com',
      })),
      {
        prop: 'notifyEmails',
        value: emails,
        ok: emails.length <= MAX_BUDGET_EMAILS && new Set(emails).size === emails.length,
        allowed: `at most ${MAX_BUDGET_EMAILS} distinct addresses`,
      },
      {
        prop: 'costTags',
        value: props.costTags ?? null,
        ok: costTags !== undefined && Object.entries(costTags).length > 0 &&
          Object.entries(costTags).every(([k, v]) => k.length > 0 && v.length > 0),
        allowed: 'at least one tag with a non-empty key and value (required outside a ServiceStack)',
      },
      {
        prop: 'budget name',
        value: this.budgetName,
        ok: this.budgetName.length <= MAX_BUDGET_NAME,
        allowed: `at most ${MAX_BUDGET_NAME} characters: shorten the stack's prefix`,
      },
    ]);
    this.alertAtPercent = alertAtPercent;

    this.topic = props.topic ?? new sns.Topic(this, 'Topic', { enforceSSL: true });
    const granted = this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        // Only budgets of this account may publish (confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (!granted.statementAdded) {
      throw new Error(
        `[${this.node.path}] invalid ServiceBudget props: topic ${JSON.stringify(
          this.topic.node.path,
        )} is not allowed: a topic this stack creates (Budgets must be allowed to publish to it)`,
      );
    }

    // CostFilters' TagKeyValue ORs its values, so it cannot select one
    // stack by two tags; FilterExpression ANDs them (keys as tagged, like
    // Cost Explorer's expressions). An expression needs Metrics: unblended
    // cost, what the portal's actual cost shows.
    const tags = Object.entries(costTags!).map(([key, value]) => ({
      tags: { key, values: [value], matchOptions: ['EQUALS'] },
    }));
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: this.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyUsd, unit: 'USD' },
        filterExpression: tags.length === 1 ? tags[0] : { and: tags },
        metrics: ['UnblendedCost'],
      },
      notificationsWithSubscribers: [
        {
          notification: {
            notificationType: 'ACTUAL',
            comparisonOperator: 'GREATER_THAN',
            threshold: alertAtPercent,
            thresholdType: 'PERCENTAGE',
          },
          subscribers: [
            { subscriptionType: 'SNS', address: this.topic.topicArn },
            ...emails.map(address => ({ subscriptionType: 'EMAIL', address })),
          ],
        },
      ],
    });
    // Budgets checks it may publish when the budget is created.
    const policy = this.topic.node.tryFindChild('Policy');
    if (policy) this.budget.node.addDependency(policy);
  }
}

function defaultCostTags(stack: Stack): Record<string, string> | undefined {
  if (!ServiceStack.isServiceStack(stack)) return undefined;
  return {
    [SERVICE_TAG_KEYS.prefix]: stack.serviceTags[SERVICE_TAG_KEYS.prefix],
    [SERVICE_TAG_KEYS.stage]: stack.serviceTags[SERVICE_TAG_KEYS.stage],
  };
}
