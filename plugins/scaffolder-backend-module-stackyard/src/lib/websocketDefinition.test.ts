import type { ServiceManifest } from '@stackyard/cdk-guardrails';
import { webSocketApiDefinitionSchema } from '@stackyard/plugin-stackyard-common';
import { websocketDefinition } from './websocketDefinition';

const base = {
  service: { name: 'chat', project: 'chat', costCenter: 'cc-1' },
  functions: {
    connection: { handler: 'index.handler', code: 'functions/connection' },
    message: { handler: 'index.handler', code: 'functions/message' },
  },
} as unknown as ServiceManifest;

describe('websocketDefinition', () => {
  it("routes each key to its function in the preview runner, one-way, and passes the backend's schema", () => {
    const definition = websocketDefinition({
      ...base,
      websocket: {
        routeSelectionExpression: '$request.body.action',
        routes: {
          $connect: 'connection',
          $disconnect: 'connection',
          $default: 'message',
          publish: 'message',
        },
      },
    } as ServiceManifest);
    expect(definition).toEqual({
      routeSelectionExpression: '$request.body.action',
      routes: {
        $connect: {
          integration: { type: 'preview', function: 'connection' },
          response: false,
        },
        $disconnect: {
          integration: { type: 'preview', function: 'connection' },
          response: false,
        },
        $default: {
          integration: { type: 'preview', function: 'message' },
          response: false,
        },
        publish: {
          integration: { type: 'preview', function: 'message' },
          response: false,
        },
      },
    });
    expect(webSocketApiDefinitionSchema.safeParse(definition).success).toBe(
      true,
    );
  });

  it('is undefined for a service without a WebSocket API', () => {
    expect(websocketDefinition(base)).toBeUndefined();
    expect(
      websocketDefinition({
        ...base,
        websocket: { routes: {} },
      } as ServiceManifest),
    ).toBeUndefined();
  });
});
