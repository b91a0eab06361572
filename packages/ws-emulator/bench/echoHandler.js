/* eslint-disable */
// The benchmark's `@connections` echo, written as a deployed Lambda function
// would be: one ApiGatewayManagementApiClient per endpoint, created once and
// reused across invocations, posting the message back to its sender.
const {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} = require('@aws-sdk/client-apigatewaymanagementapi');

const clients = new Map();

function clientFor({ domainName, stage }) {
  const endpoint = `http://${domainName}/${stage}`;
  let client = clients.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
      // A documented client option: resolve the middleware stack once per
      // command class instead of on every send.
      cacheMiddleware: true,
      // The SDK's default keep-alive agent allows 50 sockets; up to 100
      // posts are in flight here.
      requestHandler: { httpAgent: { maxSockets: 128 } },
    });
    clients.set(endpoint, client);
  }
  return client;
}

exports.handler = async event => {
  await clientFor(event.requestContext).send(
    new PostToConnectionCommand({
      ConnectionId: event.requestContext.connectionId,
      Data: event.body,
    }),
  );
  return { statusCode: 200 };
};
