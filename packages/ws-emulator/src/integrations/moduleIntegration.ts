import type { WebSocketEvent } from '../events';
import { toProxyResult } from './proxyResult';
import { Integration, IntegrationContext } from './types';

/**
 * The Lambda `context` object handed to in-process handlers (the fields
 * handlers commonly read).
 * @public
 */
export interface LambdaStyleContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/**
 * A Lambda-style handler: `async (event, context) => result`.
 * @public
 */
export type LambdaStyleHandler = (
  event: WebSocketEvent,
  context: LambdaStyleContext,
) => unknown;

/**
 * Options of {@link moduleIntegration}.
 * @public
 */
export interface ModuleIntegrationOptions {
  /** The handler to call. */
  readonly handler: LambdaStyleHandler;
  /**
   * Function name shown in `context.functionName` and in logs.
   * @default 'local-handler'
   */
  readonly name?: string;
}

/**
 * Calls an in-process Lambda-style handler. Meant for the CLI and local
 * development only: the handler runs inside the emulator's process.
 * @public
 */
export function moduleIntegration(
  options: ModuleIntegrationOptions,
): Integration {
  const { handler } = options;
  const name = options.name ?? 'local-handler';
  if (typeof handler !== 'function') {
    throw new TypeError(
      `moduleIntegration: handler of ${name} is not a function`,
    );
  }
  const invokedFunctionArn = `arn:aws:lambda:local:000000000000:function:${name}`;
  const logGroupName = `/aws/lambda/${name}`;
  return {
    description: `module:${name}`,
    async invoke(event: WebSocketEvent, ctx: IntegrationContext) {
      const context: LambdaStyleContext = {
        awsRequestId: ctx.awsRequestId,
        functionName: name,
        functionVersion: '$LATEST',
        invokedFunctionArn,
        memoryLimitInMB: '128',
        logGroupName,
        logStreamName: 'local',
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => Math.max(0, ctx.deadline - Date.now()),
      };
      return toProxyResult(await handler(event, context));
    },
  };
}
