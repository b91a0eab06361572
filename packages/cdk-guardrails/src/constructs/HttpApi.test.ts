import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from './HttpApi';
import { testFunction, testStack } from './testing';

function apiIn(stage: string) {
  const stack = testStack({ stage });
  const intake = testFunction(stack, 'Intake');
  new HttpApi(stack, 'Http', { routes: { 'POST /jobs': intake, 'GET /jobs/{id}': intake } });
  return Template.fromStack(stack);
}

describe('HttpApi', () => {
  it('routes POST /jobs to its function through one integration, on a throttled $default stage', () => {
    const template = apiIn('dev');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /jobs' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /jobs/{id}' });
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpAccessLogs'), 'Arn'] } },
    });
  });

  it('throttles to the prod stage limits in prod', () => {
    apiIn('prod').hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  it.each([
    [{ 'post /jobs': 'f' }, 'route key "post /jobs" is not allowed'],
    [{ 'POST /jobs/': 'f' }, 'route key "POST /jobs/" is not allowed'],
    [{}, 'routes [] is not allowed: at least one route'],
  ])('refuses routes %j, quoting them with the construct path', (routes, message) => {
    const stack = testStack();
    const fn = testFunction(stack, 'F');
    const withFn = Object.fromEntries(Object.keys(routes).map(k => [k, fn]));
    expect(() => new HttpApi(stack, 'Api', { routes: withFn })).toThrow(`[Svc/Api] invalid HttpApi props: ${message}`);
  });

  it('refuses a burst limit of 0', () => {
    const stack = testStack();
    expect(() => new HttpApi(stack, 'Api', { routes: { 'GET /': testFunction(stack, 'F') }, burstLimit: 0 })).toThrow(
      'burstLimit 0 is not allowed: an integer from 1 to 5000',
    );
  });
});
