import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildService } from './buildService';
import { STACK_OUTPUT_NAMES } from './buildServiceOutputs';
import { loadManifest } from './loadManifest';

const fixtures = join(__dirname, '../../fixtures');

function outputsOf(fixture: string, stage = 'dev') {
  const appDir = join(fixtures, fixture);
  const app = new App({ stackTraces: false, builtinCloudFormationValidation: false });
  const service = buildService(app, loadManifest(join(appDir, 'stackyard.yaml')), { prefix: 'wo', stage, appDir });
  return Template.fromStack(service.stack).toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
}

describe('addStackOutputs', () => {
  it("gives the WebSocket API's wss:// URL of its stage", () => {
    const outputs = outputsOf('reference-service');
    expect(JSON.stringify(outputs[STACK_OUTPUT_NAMES.webSocketUrl].Value)).toMatch(/^\{"Fn::Join":\["",\["wss:\/\/",\{"Ref":"WebSocket\w+"\}.*"\/dev"\]\]\}$/);
    // A serverless service has no cluster, network or data stores to output.
    expect(Object.keys(outputs)).toEqual(['WebSocketUrl']);
  });

  it('names every output with a valid CloudFormation logical ID, described for people', () => {
    const outputs = outputsOf('container-service', 'prod');
    for (const [name, output] of Object.entries(outputs)) {
      expect(name).toMatch(/^[A-Za-z0-9]{1,255}$/);
      expect(output.Description).toMatch(/\S/);
    }
    expect(STACK_OUTPUT_NAMES.taskDefinitionArn('order-worker')).toBe('OrderWorkerTaskDefinitionArn');
  });
});
