import { App, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ServiceStack, ServiceStackProps } from './ServiceStack';
import { SafeFunction, SafeFunctionProps } from './SafeFunction';

/** A ServiceStack for construct tests. */
export function testStack(props: Partial<ServiceStackProps> = {}): ServiceStack {
  const app = new App({ stackTraces: false, builtinCloudFormationValidation: false });
  return new ServiceStack(app, 'Svc', {
    prefix: 'wo-42',
    stage: 'dev',
    project: 'wo',
    costCenter: 'cc-1',
    owner: 'component:default/mailer',
    ...props,
  });
}

/** A SafeFunction with inline code for construct tests. */
export function testFunction(
  scope: ServiceStack,
  id: string,
  props: Partial<SafeFunctionProps> = {},
): SafeFunction {
  return new SafeFunction(scope, id, {
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    handler: 'index.handler',
    timeout: Duration.seconds(10),
    memorySize: 256,
    reservedConcurrentExecutions: 5,
    ...props,
  });
}
