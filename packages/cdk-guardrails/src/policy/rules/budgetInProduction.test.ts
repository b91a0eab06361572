import { describeRule, res } from '../ruleHarness';
import { budgetInProduction } from './budgetInProduction';

const budget = res('BudgetC1A2', 'AWS::Budgets::Budget', { Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY' } });
const fn = res('WorkerFunction', 'AWS::Lambda::Function');
const metadata = res('CDKMetadata', 'AWS::CDK::Metadata');

describeRule(budgetInProduction, {
  compliant: [
    { name: 'the budget of a production stack', resource: budget, others: [fn, metadata] },
  ],
  nonCompliant: [
    {
      name: 'a production stack without a budget, on its first resource',
      resource: fn,
      others: [res('Queue', 'AWS::SQS::Queue'), metadata],
      message: /^the stack of production stage "prod" has no AWS::Budgets::Budget, .*\(stages\.prod\.budget\.monthlyUsd\)/,
    },
    { name: 'a production stack of one table', resource: res('Table', 'AWS::DynamoDB::Table'), message: /stages\.prod\.budget/ },
  ],
  notApplicable: [
    { name: 'a dev stack without a budget', resource: fn, stage: 'dev' },
    { name: 'an ephemeral preview stack without a budget', resource: fn, stage: 'preview' },
    { name: 'a staging stack without a budget', resource: fn, stage: 'staging' },
    { name: 'another resource of a stack with a budget', resource: fn, others: [budget] },
    { name: "CDK's metadata of a stack without a budget", resource: metadata, others: [fn] },
  ],
});
