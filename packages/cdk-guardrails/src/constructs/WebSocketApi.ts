import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SafeFunction } from './SafeFunction';
import { stageConfigOf } from './stageOf';
import { validateProps } from './validation';

/** Environment variable with the stage's `@connections` callback URL. */
export const CALLBACK_URL_ENV = 'WEBSOCKET_CALLBACK_URL';

const ROUTE_KEY = /^(\$connect|\$disconnect|\$default|[A-Za-z0-9_.:-]{1,128})$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Properties of a {@link WebSocketApi}. */
export interface WebSocketApiProps {
  /**
   * Route keys mapped to the functions that handle them: `$connect`,
   * `$disconnect`, `$default` and custom route keys such as `sendMessage`.
   */
  readonly routes: Readonly<Record<string, SafeFunction>>;
  /**
   * Selects the route of an incoming message.
   *
   * @default '$request.body.action'
   */
  readonly routeSelectionExpression?: string;
  /**
   * The API Gateway stage name.
   *
   * @default - the Stackyard stage's name
   */
  readonly stageName?: string;
  /**
   * A description of the API.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * An API Gateway v2 WebSocket API whose routes invoke SafeFunctions, with an
 * auto-deployed stage, JSON access logs, and `execute-api:ManageConnections`
 * granted to every handler (which also gets the callback URL in
 * `WEBSOCKET_CALLBACK_URL`).
 */
export class WebSocketApi extends Construct {
  /** The WebSocket API. */
  readonly api: apigwv2.WebSocketApi;
  /** The API's stage. */
  readonly stage: apigwv2.WebSocketStage;
  /** The access log group. */
  readonly accessLogs: logs.LogGroup;
  /** The route handlers by route key. */
  readonly handlers: Readonly<Record<string, SafeFunction>>;

  constructor(scope: Construct, id: string, props: WebSocketApiProps) {
    super(scope, id);
    const stageConfig = stageConfigOf(this);
    const stageName = props.stageName ?? stageConfig.name;
    const routeKeys = Object.keys(props.routes);
    validateProps(this, 'WebSocketApi', [
      {
        prop: 'routes',
        value: routeKeys,
        ok: routeKeys.length > 0,
        allowed: 'at least one route',
      },
      ...routeKeys.map(key => ({
        prop: 'route key',
        value: key,
        ok: ROUTE_KEY.test(key),
        allowed: '$connect, $disconnect, $default, or 1-128 letters, digits and _ . : -',
      })),
      {
        prop: 'stageName',
        value: stageName,
        ok: STAGE_NAME.test(stageName),
        allowed: '1-128 letters, digits, _ and -',
      },
    ]);
    this.handlers = { ...props.routes };
    const integration = (key: string) => ({
      integration: new WebSocketLambdaIntegration(
        `${key.replace(/[^A-Za-z0-9]/g, '')}Integration`,
        props.routes[key].function,
      ),
    });
    const special = (key: string) =>
      props.routes[key] ? integration(key) : undefined;
    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      description: props.description,
      routeSelectionExpression:
        props.routeSelectionExpression ?? '$request.body.action',
      connectRouteOptions: special('$connect'),
      disconnectRouteOptions: special('$disconnect'),
      defaultRouteOptions: special('$default'),
    });
    for (const key of routeKeys.filter(k => !k.startsWith('$'))) {
      this.api.addRoute(key, integration(key));
    }
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: stageConfig.logRetentionDays as logs.RetentionDays,
      removalPolicy: stageConfig.production
        ? RemovalPolicy.RETAIN
        : RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName,
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            connectionId: '$context.connectionId',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            status: '$context.status',
            integrationError: '$context.integrationErrorMessage',
            requestTime: '$context.requestTimeEpoch',
          }),
        ),
      },
    });
    const handlers = new Set(Object.values(props.routes));
    for (const handler of handlers) {
      this.stage.grantManagementApiAccess(handler.function);
      handler.function.addEnvironment(CALLBACK_URL_ENV, this.stage.callbackUrl);
    }
  }
}
