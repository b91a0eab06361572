import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { WebSocketEvent } from '../events';
import { toProxyResult } from './proxyResult';
import { Integration, IntegrationContext, IntegrationError } from './types';

/**
 * Options of {@link lambdaIntegration}.
 * @public
 */
export interface LambdaIntegrationOptions {
  /** Function name, ARN or partial ARN. */
  readonly functionName: string;
  /**
   * Version or alias.
   * @default unqualified ($LATEST)
   */
  readonly qualifier?: string;
  /**
   * A ready client. When given, `endpoint`, `region` and `credentials` are
   * ignored and the client is not destroyed by `close()`.
   */
  readonly client?: LambdaClient;
  /**
   * Invoke endpoint, for a local Invoke-compatible runtime
   * (e.g. `http://127.0.0.1:3002`).
   * @default the AWS endpoint of the region
   */
  readonly endpoint?: string;
  /**
   * Region.
   * @default the SDK's default chain (AWS_REGION, config files)
   */
  readonly region?: string;
  /**
   * Credentials.
   * @default the SDK's default provider chain
   */
  readonly credentials?: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
}

type LambdaSdk = typeof import('@aws-sdk/client-lambda');
let lambdaSdk: LambdaSdk | undefined;

/** The Lambda SDK is large: it is loaded on the first invocation only. */
function loadLambdaSdk(): LambdaSdk {
  lambdaSdk ??= require('@aws-sdk/client-lambda') as LambdaSdk;
  return lambdaSdk;
}

/**
 * Invokes a Lambda function synchronously (`RequestResponse`) through the
 * Lambda Invoke API with the event as payload; the function's result is
 * read as a Lambda proxy result. A function error is an integration error.
 * @public
 */
export function lambdaIntegration(
  options: LambdaIntegrationOptions,
): Integration {
  if (!options.functionName) {
    throw new TypeError('lambdaIntegration: functionName is required');
  }
  const ownsClient = !options.client;
  let client: LambdaClient | undefined = options.client;
  return {
    description: `lambda:${options.functionName}`,
    async invoke(event: WebSocketEvent, ctx: IntegrationContext) {
      const { InvokeCommand, LambdaClient } = loadLambdaSdk();
      client ??= new LambdaClient({
        endpoint: options.endpoint,
        region: options.region,
        credentials: options.credentials,
      });
      const output = await client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          Qualifier: options.qualifier,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
        { abortSignal: ctx.signal },
      );
      const text = output.Payload
        ? Buffer.from(output.Payload).toString('utf8')
        : '';
      if (output.FunctionError) {
        throw new IntegrationError(
          `lambda:${options.functionName} failed (${
            output.FunctionError
          }): ${text.slice(0, 200)}`,
        );
      }
      if (text.trim() === '') {
        return undefined;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new IntegrationError(
          `lambda:${options.functionName} returned a payload that is not JSON`,
        );
      }
      return toProxyResult(parsed);
    },
    close() {
      if (ownsClient) {
        client?.destroy();
      }
    },
  };
}
