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

test('the dev stack passes the safety policy and matches its snapshot', async () => {
  const result = await synthService({ appDir: root, prefix: 'snapshot', stage: 'dev' });
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

// CI (.github/workflows/deploy.yaml) finds the cluster and the worker's
// service among the stack's resources to run the migrations task.
test('the stack has one cluster and a worker service CI can find by its logical ID', () => {
  const { App } = require('aws-cdk-lib');
  const { buildService, loadManifest } = require('@stackyard/cdk-guardrails');
  const app = new App();
  const service = buildService(app, loadManifest(path.join(root, 'stackyard.yaml')), {
    prefix: 'snapshot',
    stage: 'dev',
    appDir: root,
  });
  const resources = Object.entries(app.synth().getStackByName(service.stack.stackName).template.Resources);
  const ids = type => resources.filter(([, r]) => r.Type === type).map(([id]) => id);
  assert.equal(ids('AWS::ECS::Cluster').length, 1);
  assert.equal(ids('AWS::ECS::Service').filter(id => id.startsWith('WorkerContainer')).length, 1);
});
