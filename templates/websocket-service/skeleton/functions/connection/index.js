'use strict';

const CONNECTION_TTL_SECONDS = 2 * 60 * 60;

/**
 * `$connect` stores the connection (expiring after two hours, the API
 * Gateway maximum); `$disconnect` removes it. Storage goes through `store`:
 * `{ put(item), remove(connectionId) }`.
 */
function createHandler({ store, nowSeconds = () => Math.floor(Date.now() / 1000) }) {
  return async event => {
    const { routeKey, connectionId } = event.requestContext;
    if (routeKey === '$connect') {
      await store.put({ connectionId, channels: [], expiresAt: nowSeconds() + CONNECTION_TTL_SECONDS });
    } else if (routeKey === '$disconnect') {
      await store.remove(connectionId);
    }
    return { statusCode: 200 };
  };
}

let handler;
exports.handler = async event => {
  if (!handler) {
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, PutCommand, DeleteCommand } = require('@aws-sdk/lib-dynamodb');
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const TableName = process.env.TABLE_CONNECTIONS;
    handler = createHandler({
      store: {
        put: Item => ddb.send(new PutCommand({ TableName, Item })),
        remove: connectionId => ddb.send(new DeleteCommand({ TableName, Key: { connectionId } })),
      },
    });
  }
  return handler(event);
};
exports.createHandler = createHandler;
exports.CONNECTION_TTL_SECONDS = CONNECTION_TTL_SECONDS;
