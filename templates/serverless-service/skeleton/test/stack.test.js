'use strict';

// Snapshot test of the synthesized stack, through the same library and
// safety policy the portal and CI use. UPDATE_SNAPSHOTS=1 rewrites it.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { synthService } = require('@stackyard/cdk-guardrails');

const root = path.resolve(__dirname, '..');
const snapshotFile = path.join(__dirname, '__snapshots__', 'stack.json');

// One synthesis for every test of this file.
let synthesized;
const synth = () =>
  (synthesized ??= synthService({ appDir: root, prefix: 'snapshot', stage: 'dev' }));

test('the dev stack passes the safety policy and matches its snapshot', async () => {
  const result = await synth();
  assert.deepEqual(result.findings, []);
  const actual = result.stacks.map(s => ({
    resourceCount: s.resourceCount,
    resourcesByType: s.resourcesByType,
  }));
  if (process.env.UPDATE_SNAPSHOTS) {
    fs.writeFileSync(snapshotFile, `${JSON.stringify(actual, null, 2)}\n`);
  }
  assert.deepEqual(actual, JSON.parse(fs.readFileSync(snapshotFile, 'utf8')));
});

test('POST /jobs is the HTTP API route that invokes intake, throttled as dev is', async () => {
  const result = await synth();
  const resources = Object.values(result.templates[result.stackName].Resources);
  const ofType = type => resources.filter(r => r.Type === type);
  assert.deepEqual(
    ofType('AWS::ApiGatewayV2::Route').map(r => r.Properties.RouteKey),
    ['POST /jobs'],
  );
  const [integration] = ofType('AWS::ApiGatewayV2::Integration');
  assert.equal(integration.Properties.IntegrationType, 'AWS_PROXY');
  assert.equal(integration.Properties.PayloadFormatVersion, '2.0');
  assert.match(JSON.stringify(integration.Properties.IntegrationUri), /IntakeFunction/);
  assert.deepEqual(ofType('AWS::ApiGatewayV2::Stage')[0].Properties.DefaultRouteSettings, {
    ThrottlingRateLimit: 50,
    ThrottlingBurstLimit: 100,
  });
});

test('the prod stack passes the safety policy, warnings included, with its monthly budget', async () => {
  const result = await synthService({ appDir: root, prefix: 'snapshot', stage: 'prod' });
  assert.deepEqual(result.findings, []);
  assert.deepEqual(result.warnings, []);
  const budgets = Object.values(result.templates[result.stackName].Resources).filter(
    r => r.Type === 'AWS::Budgets::Budget',
  );
  assert.equal(budgets.length, 1);
  assert.deepEqual(budgets[0].Properties.Budget.BudgetLimit, { Amount: 50, Unit: 'USD' });
});
