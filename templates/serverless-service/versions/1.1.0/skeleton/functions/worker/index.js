'use strict';

/**
 * A handler storing each job of an SQS batch through `put(table, item)`.
 * Failed records are reported individually so only they are retried (and
 * reach the dead-letter queue after maxReceiveCount attempts).
 */
function createHandler({ put, tableName, now = () => new Date().toISOString() }) {
  return async event => {
    const batchItemFailures = [];
    for (const record of event.Records ?? []) {
      try {
        const job = JSON.parse(record.body);
        await put(tableName, { id: job.id, payload: job.payload, processedAt: now() });
      } catch (error) {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

let handler;
exports.handler = async event => {
  if (!handler) {
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    handler = createHandler({
      tableName: process.env.TABLE_ITEMS,
      put: (TableName, Item) => ddb.send(new PutCommand({ TableName, Item })),
    });
  }
  return handler(event);
};
exports.createHandler = createHandler;
