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

// CI (.github/workflows/deploy.yaml) reads the stack's outputs to run the
// migrations task and redeploy the services: every output it names exists.
test('the stack has the outputs CI reads to migrate and redeploy', () => {
  const { App } = require('aws-cdk-lib');
  const { buildService, loadManifest } = require('@stackyard/cdk-guardrails');
  const app = new App();
  const service = buildService(app, loadManifest(path.join(root, 'stackyard.yaml')), {
    prefix: 'snapshot',
    stage: 'dev',
    appDir: root,
  });
  const template = app.synth().getStackByName(service.stack.stackName).template;
  const outputs = Object.keys(template.Outputs);
  const workflow = fs.readFileSync(path.join(root, '.github', 'workflows', 'deploy.yaml'), 'utf8');
  const read = [...workflow.matchAll(/\$\(out (\w+)\)/g)].map(m => m[1]);
  assert.deepEqual(read, ['ClusterName', 'WorkerTaskDefinitionArn', 'WorkerSubnets', 'WorkerSecurityGroups', 'WorkerAssignPublicIp']);
  for (const name of read) assert.ok(outputs.includes(name), `the stack has no output ${name}`);
  // The redeploy takes every output ending in ServiceName: both services.
  const services = outputs.filter(name => name.endsWith('ServiceName'));
  assert.deepEqual(services.sort(), ['ApiServiceName', 'WorkerServiceName']);
  assert.equal(Object.values(template.Resources).filter(r => r.Type === 'AWS::ECS::Service').length, services.length);
});
