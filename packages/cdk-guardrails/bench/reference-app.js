'use strict';

// The benchmarked fixture (STACKYARD_BENCH_APP, default the reference
// service) as a classic CDK app, for `cdk synth` as a
// subprocess. Same manifest, same policy plugin as synthService.
const path = require('path');
const { App, Validations } = require('aws-cdk-lib');
const { SafetyPolicyPlugin, buildService, loadManifest } = require('./load');

const appDir = path.resolve(__dirname, '../fixtures', process.env.STACKYARD_BENCH_APP ?? 'reference-service');
const app = new App({ stackTraces: false, builtinCloudFormationValidation: false });
Validations.of(app).addPlugins(new SafetyPolicyPlugin());
buildService(app, loadManifest(path.join(appDir, 'stackyard.yaml')), {
  prefix: 'wo-42',
  stage: 'dev',
  appDir,
});
app.synth();
