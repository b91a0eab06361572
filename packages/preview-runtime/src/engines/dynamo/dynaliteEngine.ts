/* eslint-disable @typescript-eslint/no-require-imports */
import { Server, request } from 'http';
import Module from 'module';
import { dirname } from 'path';
import type { TablePlan } from '../../plan/types';

/**
 * Loads dynalite with its on-disk store (`level`, a native addon the
 * permission model refuses to load) replaced by a stub: previews keep tables
 * in memory (`memory-level`), which dynalite uses when given no path.
 */
function loadDynalite(): (options: object) => Server {
  const root = dirname(require.resolve('dynalite/package.json'));
  const levelPath = require.resolve('level', { paths: [root] });
  if (!require.cache[levelPath]) {
    const stub = new Module(levelPath);
    stub.filename = levelPath;
    stub.loaded = true;
    stub.exports = {
      Level: class {
        constructor() {
          throw new Error('previews keep tables in memory only');
        }
      },
    };
    require.cache[levelPath] = stub;
  }
  return require('dynalite');
}

/** Calls the DynamoDB JSON API of the engine at `endpoint`. */
export function callDynamo(
  endpoint: string,
  action: string,
  body: object,
): Promise<any> {
  const payload = JSON.stringify(body);
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${action}`,
          // dynalite wants a signature's shape, and checks none.
          authorization:
            'AWS4-HMAC-SHA256 Credential=preview/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          'x-amz-date': '20200101T000000Z',
          'content-length': Buffer.byteLength(payload),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = text ? JSON.parse(text) : {};
          if (res.statusCode !== 200) {
            reject(
              new Error(
                `${action} failed: ${json.__type ?? res.statusCode}: ${
                  json.message ?? json.Message ?? ''
                }`,
              ),
            );
          } else resolve(json);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** dynalite in memory, listening on loopback, with the preview's tables created. */
export async function startDynalite(
  tables: readonly TablePlan[],
): Promise<{ server: Server; endpoint: string }> {
  const dynalite = loadDynalite();
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${
    (server.address() as { port: number }).port
  }`;
  for (const table of tables) {
    await callDynamo(endpoint, 'CreateTable', {
      TableName: table.name,
      KeySchema: table.keySchema,
      AttributeDefinitions: table.attributeDefinitions,
      ...(table.globalSecondaryIndexes
        ? {
            GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(i => ({
              ...(i as object),
              ProvisionedThroughput: undefined,
            })),
          }
        : {}),
      ...(table.localSecondaryIndexes
        ? { LocalSecondaryIndexes: table.localSecondaryIndexes }
        : {}),
      BillingMode: 'PAY_PER_REQUEST',
    });
  }
  return { server, endpoint };
}

/** Items in a table, counted by scanning (dynalite's ItemCount is not live). */
export async function countItems(
  endpoint: string,
  table: string,
): Promise<number> {
  let count = 0;
  let start: unknown;
  do {
    const page = await callDynamo(endpoint, 'Scan', {
      TableName: table,
      Select: 'COUNT',
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
