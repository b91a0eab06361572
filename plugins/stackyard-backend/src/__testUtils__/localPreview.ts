import type { RegisterDeploymentRequest } from '@stackyard/plugin-stackyard-common';

/**
 * The fields of a ready local preview of `component:default/orders`, as the
 * deploy action registers it; tests add the WebSocket API they need.
 */
export function localPreview(stage = 'dev') {
  return {
    entityRef: 'component:default/orders',
    target: 'local',
    prefix: 'orders',
    stage,
    stackName: `orders-${stage}`,
    status: 'ready',
  } satisfies Partial<RegisterDeploymentRequest>;
}
