import { Match, Template } from 'aws-cdk-lib/assertions';
import { CALLBACK_URL_ENV, WebSocketApi } from './WebSocketApi';
import { testFunction, testStack } from './testing';

describe('WebSocketApi', () => {
  const stack = testStack();
  const connect = testFunction(stack, 'Connect');
  const message = testFunction(stack, 'Message');
  const api = new WebSocketApi(stack, 'Socket', { routes: { $connect: connect, $default: message, sendMessage: message } });
  const template = Template.fromStack(stack);

  it('creates a WebSocket API with one route per key', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(r => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(['$connect', '$default', 'sendMessage']);
  });

  it('deploys a stage named after the Stackyard stage with JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'dev',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('connectionId') },
    });
    expect(api.stage.stageName).toBe('dev');
  });

  it('grants execute-api:ManageConnections to every handler and passes the callback URL', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const manage = policies.filter(p =>
      JSON.stringify(p.Properties.PolicyDocument).includes('execute-api:ManageConnections'),
    );
    expect(manage).toHaveLength(2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [CALLBACK_URL_ENV]: Match.anyValue() } },
    });
  });

  it('rejects bad route keys quoting them', () => {
    const s = testStack();
    const fn = testFunction(s, 'Fn');
    expect(() => new WebSocketApi(s, 'Ws', { routes: { 'bad key': fn } })).toThrow(
      /\[Svc\/Ws\] invalid WebSocketApi props: route key "bad key" is not allowed/,
    );
    expect(() => new WebSocketApi(s, 'Ws2', { routes: {} })).toThrow(/routes \[\] is not allowed: at least one route/);
  });
});
