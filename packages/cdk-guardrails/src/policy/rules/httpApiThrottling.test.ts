import { describeRule, res } from '../ruleHarness';
import { httpApiThrottling } from './httpApiThrottling';

const httpApi = res('Api', 'AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
const wsApi = res('Ws', 'AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
const stage = (props: Record<string, unknown>, api = 'Api') =>
  res('Stage', 'AWS::ApiGatewayV2::Stage', { ApiId: { Ref: api }, StageName: '$default', ...props });

describeRule(httpApiThrottling, {
  compliant: [
    {
      name: 'throttled stage',
      resource: stage({ DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } }),
      others: [httpApi],
      stage: 'dev',
    },
    {
      name: 'stage of an API outside the template',
      resource: stage({ DefaultRouteSettings: { ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 1 } }, 'Elsewhere'),
    },
  ],
  nonCompliant: [
    {
      name: 'no throttling',
      resource: stage({}),
      others: [httpApi],
      message: /^DefaultRouteSettings ThrottlingRateLimit is not set and ThrottlingBurstLimit is not set: /,
    },
    {
      name: 'zero burst',
      resource: stage({ DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 0 } }),
      others: [httpApi],
      message: /^DefaultRouteSettings ThrottlingBurstLimit is 0:/,
    },
  ],
  notApplicable: [
    { name: 'WebSocket stage', resource: stage({}, 'Ws'), others: [wsApi] },
    { name: 'the API itself', resource: httpApi },
  ],
});
