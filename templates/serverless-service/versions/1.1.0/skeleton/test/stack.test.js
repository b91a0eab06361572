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
