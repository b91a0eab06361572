import type {
  WebSocketApiDefinition,
  WebSocketRouteIntegration,
} from '@stackyard/plugin-stackyard-common';
import {
  Integration,
  RouteDefinition,
  httpIntegration,
  lambdaIntegration,
} from '@stackyard/ws-emulator';

/**
 * Credentials sent to a local Invoke-compatible endpoint, which does not
 * check them. Real AWS Lambda (no `endpoint`) uses the SDK's default
 * provider chain of the backend.
 */
const LOCAL_ENDPOINT_CREDENTIALS = {
  accessKeyId: 'stackyard-local',
  secretAccessKey: 'stackyard-local',
};

/** How `preview` integrations reach the environment's runner. */
export type PreviewIntegrations = (fn: string) => Integration;

/** The emulator integration of one recorded route. Only out-of-process integrations exist here. */
export function toIntegration(
  spec: WebSocketRouteIntegration,
  preview?: PreviewIntegrations,
): Integration {
  switch (spec.type) {
    case 'preview':
      if (!preview) {
        throw new TypeError(
          `Route integration preview:${spec.function} needs local previews, which this backend does not run`,
        );
      }
      return preview(spec.function);
    case 'http':
      return httpIntegration({ url: spec.url });
    case 'lambda':
      return lambdaIntegration({
        functionName: spec.functionName,
        qualifier: spec.qualifier,
        endpoint: spec.endpoint,
        region: spec.region ?? (spec.endpoint ? 'us-east-1' : undefined),
        credentials: spec.endpoint ? LOCAL_ENDPOINT_CREDENTIALS : undefined,
      });
    default:
      throw new TypeError(
        `Unsupported integration type ${JSON.stringify(
          (spec as { type?: unknown }).type,
        )}: hosted WebSocket APIs use "lambda" or "http"`,
      );
  }
}

/** The emulator routes of a recorded WebSocket API. */
export function buildRoutes(
  definition: WebSocketApiDefinition,
  preview?: PreviewIntegrations,
): Record<string, RouteDefinition> {
  const routes: Record<string, RouteDefinition> = {};
  for (const [key, route] of Object.entries(definition.routes)) {
    routes[key] = {
      integration: toIntegration(route.integration, preview),
      response: route.response ?? false,
    };
  }
  return routes;
}
