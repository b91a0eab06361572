'use strict';

// The service as a plain CDK app, for the AWS CDK CLI (`npx cdk diff --app
// "node infra/app.js"`); CI deploys with `stackyard deploy`, which builds
// the same stack and checks it first. The stack comes from stackyard.yaml through
// @stackyard/cdk-guardrails, named <prefix>-<stage> with the prefix from the
// branch (feature/<project>-42-x → <project>-42) or the PREFIX override.
const path = require('node:path');
const { App } = require('aws-cdk-lib');
const { buildService, loadManifest } = require('@stackyard/cdk-guardrails');
const { resolvePrefix } = require('@stackyard/plugin-stackyard-common');

const appDir = path.resolve(__dirname, '..');
const manifest = loadManifest(path.join(appDir, 'stackyard.yaml'));
const prefix = resolvePrefix({
  project: manifest.service.project,
  branch: process.env.BRANCH,
  override: process.env.PREFIX,
});
const stage = process.env.STAGE || 'dev';

const app = new App();
buildService(app, manifest, {
  prefix,
  stage,
  appDir,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
