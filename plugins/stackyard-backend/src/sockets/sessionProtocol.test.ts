import type { Integration, WebSocketEvent } from '@stackyard/ws-emulator';
import { SESSION_PROTOCOL, withSessionProtocol } from './sessionProtocol';

const context = {
  awsRequestId: 'r',
  deadline: Date.now() + 1000,
  signal: new AbortController().signal,
};

function connectEvent(protocols?: string): WebSocketEvent {
  return {
    requestContext: { routeKey: '$connect' },
    headers: protocols ? { 'sec-websocket-protocol': protocols } : {},
  } as unknown as WebSocketEvent;
}

const answering = (result: object | undefined): Integration => ({
  description: 'test',
  invoke: jest.fn(async () => result as any),
});

describe('withSessionProtocol', () => {
  it('adds a $connect that selects the session protocol only when offered', async () => {
    const routes = withSessionProtocol({});
    await expect(
      routes.$connect.integration.invoke(
        connectEvent(`${SESSION_PROTOCOL}, chat`),
        context,
      ),
    ).resolves.toEqual({
      statusCode: 200,
      headers: { 'Sec-WebSocket-Protocol': SESSION_PROTOCOL },
    });
    await expect(
      routes.$connect.integration.invoke(connectEvent('chat'), context),
    ).resolves.toEqual({ statusCode: 200 });
  });

  it("keeps the API's own $connect choice and refusals", async () => {
    const chooses = withSessionProtocol({
      $connect: {
        integration: answering({
          statusCode: 200,
          headers: { 'sec-websocket-protocol': 'chat' },
        }),
      },
    });
    await expect(
      chooses.$connect.integration.invoke(
        connectEvent(`${SESSION_PROTOCOL}, chat`),
        context,
      ),
    ).resolves.toEqual({
      statusCode: 200,
      headers: { 'sec-websocket-protocol': 'chat' },
    });
    const refuses = withSessionProtocol({
      $connect: { integration: answering({ statusCode: 403 }) },
    });
    await expect(
      refuses.$connect.integration.invoke(
        connectEvent(SESSION_PROTOCOL),
        context,
      ),
    ).resolves.toEqual({ statusCode: 403 });
  });
});
