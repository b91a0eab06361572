'use strict';

const CHANNEL = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Messages are JSON: `{ "action": "subscribe", "channel": "c" }` (the
 * `$default` route) and `{ "action": "publish", "channel": "c", "data": ... }`
 * (the `publish` route). Dependencies:
 * - `store`: `{ subscribe(connectionId, channel), subscribers(channel) }`;
 * - `post(connectionId, data)`: sends through the `@connections` API and
 *   rejects with `{ name: 'GoneException' }` for closed connections.
 */
function createHandler({ store, post }) {
  return async event => {
    const { connectionId } = event.requestContext;
    let message;
    try {
      message = JSON.parse(event.body ?? '');
    } catch {
      return { statusCode: 400, body: 'messages must be JSON' };
    }
    if (!message || typeof message.channel !== 'string' || !CHANNEL.test(message.channel)) {
      return { statusCode: 400, body: `channel ${JSON.stringify(message?.channel)} is not allowed` };
    }
    if (message.action === 'subscribe') {
      await store.subscribe(connectionId, message.channel);
      return { statusCode: 200, body: JSON.stringify({ subscribed: message.channel }) };
    }
    if (message.action === 'publish') {
      const frame = JSON.stringify({ channel: message.channel, data: message.data ?? null });
      let delivered = 0;
      for (const subscriber of await store.subscribers(message.channel)) {
        try {
          await post(subscriber, frame);
          delivered += 1;
        } catch (error) {
          if (error?.name !== 'GoneException') throw error;
        }
      }
      return { statusCode: 200, body: JSON.stringify({ delivered }) };
    }
    return { statusCode: 400, body: `action ${JSON.stringify(message.action)} is not one of subscribe, publish` };
  };
}

let handler;
exports.handler = async event => {
  if (!handler) {
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, UpdateCommand, ScanCommand } = require('@aws-sdk/lib-dynamodb');
    const {
      ApiGatewayManagementApiClient,
      PostToConnectionCommand,
    } = require('@aws-sdk/client-apigatewaymanagementapi');
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const TableName = process.env.TABLE_CONNECTIONS;
    const api = new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_CALLBACK_URL });
    handler = createHandler({
      store: {
        subscribe: (connectionId, channel) =>
          ddb.send(new UpdateCommand({
            TableName,
            Key: { connectionId },
            UpdateExpression: 'SET channels = list_append(if_not_exists(channels, :none), :c)',
            ExpressionAttributeValues: { ':c': [channel], ':none': [] },
          })),
        subscribers: async channel => {
          const ids = [];
          let ExclusiveStartKey;
          do {
            const page = await ddb.send(new ScanCommand({ TableName, ExclusiveStartKey }));
            for (const item of page.Items ?? []) {
              if ((item.channels ?? []).includes(channel)) ids.push(item.connectionId);
            }
            ExclusiveStartKey = page.LastEvaluatedKey;
          } while (ExclusiveStartKey);
          return ids;
        },
      },
      post: (ConnectionId, Data) => api.send(new PostToConnectionCommand({ ConnectionId, Data })),
    });
  }
  return handler(event);
};
exports.createHandler = createHandler;
