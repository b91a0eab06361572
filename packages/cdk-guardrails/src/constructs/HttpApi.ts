import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SafeFunction } from './SafeFunction';
import { HTTP_ROUTE_KEY, HTTP_ROUTE_KEY_ALLOWED } from './routeKeys';
import { stageConfigOf } from './stageOf';
import { isIntegerBetween, validateProps } from './validation';

/** Properties of an {@link HttpApi}. */
export interface HttpApiProps {
  /**
   * Route keys (`<METHOD> /path`, e.g. `POST /jobs`) mapped to the functions
   * that handle them.
   */
  readonly routes: Readonly<Record<string, SafeFunction>>;
  /**
   * Steady-state requests per second every route allows, above 0 and at
   * most 10000.
   *
   * @default - the stage's `httpThrottle.rateLimit` (50 in dev, 500 in prod)
   */
  readonly rateLimit?: number;
  /**
   * Requests every route allows in a burst above the rate, 1 to 5000.
   *
   * @default - the stage's `httpThrottle.burstLimit` (100 in dev, 1000 in prod)
   */
  readonly burstLimit?: number;
  /**
   * Origins browsers may call the API from (CORS).
   *
   * @default - no CORS
   */
  readonly corsOrigins?: readonly string[];
  /**
   * A description of the API.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * An API Gateway HTTP API whose routes invoke SafeFunctions, served by an
 * auto-deployed `$default` stage whose default route settings throttle every
 * route, with JSON access logs kept for the stage's retention.
 */
export class HttpApi extends Construct {
  /** The HTTP API. */
  readonly api: apigwv2.HttpApi;
  /** The API's `$default` stage. */
  readonly stage: apigwv2.HttpStage;
  /** The access log group. */
  readonly accessLogs: logs.LogGroup;
  /** The route handlers by route key. */
  readonly handlers: Readonly<Record<string, SafeFunction>>;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const stageConfig = stageConfigOf(this);
    const rateLimit = props.rateLimit ?? stageConfig.httpThrottle.rateLimit;
    const burstLimit = props.burstLimit ?? stageConfig.httpThrottle.burstLimit;
    const routeKeys = Object.keys(props.routes);
    validateProps(this, 'HttpApi', [
      {
        prop: 'routes',
        value: routeKeys,
        ok: routeKeys.length > 0,
        allowed: 'at least one route',
      },
      ...routeKeys.map(key => ({
        prop: 'route key',
        value: key,
        ok: HTTP_ROUTE_KEY.test(key),
        allowed: HTTP_ROUTE_KEY_ALLOWED,
      })),
      {
        prop: 'rateLimit',
        value: rateLimit,
        ok: typeof rateLimit === 'number' && rateLimit > 0 && rateLimit <= 10000,
        allowed: 'greater than 0 and at most 10000',
      },
      {
        prop: 'burstLimit',
        value: burstLimit,
        ok: isIntegerBetween(burstLimit, 1, 5000),
        allowed: 'an integer from 1 to 5000',
      },
    ]);
    this.handlers = { ...props.routes };
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: props.description,
      createDefaultStage: false,
      corsPreflight: props.corsOrigins
        ? { allowOrigins: [...props.corsOrigins], allowMethods: [apigwv2.CorsHttpMethod.ANY], allowHeaders: ['*'] }
        : undefined,
    });
    const integrations = new Map<SafeFunction, HttpLambdaIntegration>();
    for (const key of routeKeys) {
      const handler = props.routes[key];
      let integration = integrations.get(handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${handler.node.id}Integration`, handler.function);
        integrations.set(handler, integration);
      }
      const [method, path] = key.split(' ');
      this.api.addRoutes({
        path,
        methods: [method as apigwv2.HttpMethod],
        integration,
      });
    }
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: stageConfig.logRetentionDays as logs.RetentionDays,
      removalPolicy: stageConfig.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            integrationError: '$context.integrationErrorMessage',
            requestTime: '$context.requestTimeEpoch',
          }),
        ),
      },
    });
  }

  /** The URL of the API's `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
