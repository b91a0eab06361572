import type { ServiceManifest } from '@stackyard/cdk-guardrails';
import type { WebSocketApiDefinition } from '@stackyard/plugin-stackyard-common';

/**
 * The WebSocket API a local preview records, from the manifest's
 * `websocket` section: each route handled by its function in the
 * environment's preview runner. Routes are one-way, as the deployed API's
 * are (no route responses): handlers answer through `@connections`.
 * Undefined when the service has no WebSocket API.
 */
export function websocketDefinition(
  manifest: ServiceManifest,
): WebSocketApiDefinition | undefined {
  const websocket = manifest.websocket;
  const routes = Object.entries(websocket?.routes ?? {});
  if (!websocket || routes.length === 0) return undefined;
  return {
    ...(websocket.routeSelectionExpression
      ? { routeSelectionExpression: websocket.routeSelectionExpression }
      : {}),
    routes: Object.fromEntries(
      routes.map(([routeKey, fn]) => [
        routeKey,
        { integration: { type: 'preview', function: fn }, response: false },
      ]),
    ),
  };
}
