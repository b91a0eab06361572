/** The two variants of the task: the manifest as rendered, and with an extension. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The extension the extension variant adds; it passes the safety policy. */
const EXTENSION_FILE = 'infra/extend.js';
const EXTENSION_SOURCE = `'use strict';

// An events topic the intake function publishes to. The stack's tags
// (Project, Environment, CostCenter, ...) reach it like every resource.
const sns = require('aws-cdk-lib/aws-sns');

module.exports = service => {
  const topic = new sns.Topic(service.stack, 'Events', {
    topicName: \`\${service.stack.stackName}-events\`,
  });
  topic.grantPublish(service.functions.intake.function);
};
`;

/** Gives the rendered service in `workspacePath` the extension. */
function addExtension(workspacePath: string) {
  mkdirSync(join(workspacePath, 'infra'), { recursive: true });
  writeFileSync(join(workspacePath, EXTENSION_FILE), EXTENSION_SOURCE);
  appendFileSync(
    join(workspacePath, 'stackyard.yaml'),
    `\nextension: ${EXTENSION_FILE}\n`,
  );
}

export interface Variant {
  readonly name: 'manifest' | 'extension';
  /** The service's name in run `run` (repositories must not collide). */
  serviceName(run: number): string;
  /** Runs on the workspace after the render step, untimed. */
  afterRender?(workspacePath: string): void;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'manifest', serviceName: run => `bench-svc-${run}` },
  {
    name: 'extension',
    serviceName: run => `bench-ext-${run}`,
    afterRender: addExtension,
  },
];
