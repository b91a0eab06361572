'use strict';

// A function of the tests: each event's `action` tries one thing, returning
// what happened; hostile actions try to get out of the sandbox.
const fs = require('fs');

/** Writes all of `text` to a non-blocking descriptor. */
async function writeAll(fd, text) {
  let rest = Buffer.from(text);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(fs.writeSync(fd, rest));
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
      await new Promise(r => setTimeout(r, 1));
    }
  }
}

/** Forced major collections seen since `watch-collections`. */
let forcedCollections = 0;

exports.handler = async (event, context) => {
  switch (event.action) {
    case 'env':
      return {
        env: { ...process.env },
        functionName: context.functionName,
        remaining: context.getRemainingTimeInMillis(),
      };
    case 'log':
      console.log(`hello from ${context.functionName}`);
      console.error('to stderr');
      return 'logged';
    case 'throw': {
      const error = new TypeError('job is broken');
      throw error;
    }
    case 'send': {
      const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
      const sqs = new SQSClient({});
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: process.env.QUEUE_JOBS,
          MessageBody: event.body,
        }),
      );
      return 'sent';
    }
    case 'get': {
      const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
      const {
        DynamoDBDocumentClient,
        GetCommand,
      } = require('@aws-sdk/lib-dynamodb');
      const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const { Item } = await ddb.send(
        new GetCommand({
          TableName: process.env.TABLE_ITEMS,
          Key: { id: event.id },
        }),
      );
      return Item ?? null;
    }
    case 'put': {
      const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
      const {
        DynamoDBDocumentClient,
        PutCommand,
      } = require('@aws-sdk/lib-dynamodb');
      const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      await ddb.send(
        new PutCommand({
          TableName: process.env.TABLE_ITEMS,
          Item: event.item,
        }),
      );
      return 'put';
    }
    case 'read':
      return fs.readFileSync(event.path, 'utf8');
    case 'write':
      fs.writeFileSync(event.path, 'x');
      return 'written';
    case 'spawn':
      return require('child_process')
        .execFileSync('/bin/echo', ['escaped'])
        .toString();
    case 'connect':
      return await fetch(event.url).then(r => r.status);
    case 'http':
      return await new Promise((resolve, reject) => {
        require('http')
          .get(event.url, res => resolve(res.statusCode))
          .on('error', reject);
      });
    case 'connect-via':
      // An allowed name, sent elsewhere by a lookup of the handler's own.
      return await new Promise((resolve, reject) => {
        const socket = require('net').connect({
          host: event.host,
          port: event.port,
          lookup: (hostname, options, callback) =>
            options && options.all
              ? callback(null, [{ address: event.address, family: 4 }])
              : callback(null, event.address, 4),
        });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', reject);
      });
    case 'forge':
      // Answers every invocation id it can guess, with what is no result.
      for (let id = 1; id < 1000; id++) {
        fs.writeSync(
          3,
          `${JSON.stringify({ type: 'answer', id, value: { ok: 'yes' } })}\n`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
      return 'forged';
    case 'big':
      return 'x'.repeat(7 * 1024 * 1024);
    case 'forge-big': {
      // A message line past the backend's cap, for its own call.
      await writeAll(
        3,
        `{"type":"answer","id":${event.id},"value":"${'x'.repeat(
          9 * 1024 * 1024,
        )}"}\n`,
      );
      await new Promise(r => setTimeout(r, 500));
      return 'forged';
    }
    case 'flood': {
      // Past the console, straight to the pipe, without a newline: 1 MiB,
      // 128 times the line cap, and quick enough for the 2 s timeout on a
      // loaded machine.
      let written = 0;
      while (written < 1 << 20) {
        try {
          written += fs.writeSync(1, 'x'.repeat(1 << 16));
        } catch (error) {
          if (error.code !== 'EAGAIN') throw error;
          await new Promise(r => setTimeout(r, 1));
        }
      }
      // The pipe may still be full (EAGAIN) for the newline too.
      await writeAll(1, '\n');
      return 'flooded';
    }
    case 'sleep':
      await new Promise(r => setTimeout(r, event.ms));
      return 'slept';
    case 'allocate': {
      console.log('allocating without bound');
      const hold = [];
      for (;;) hold.push(new Array(1e6).fill(hold.length));
    }
    case 'flood-connections':
      return require('./floodConnections').floodConnections(event);
    case 'connections': {
      // `@connections` calls through the SDK, all started at once (or one
      // after the other): what each came to, as a handler sees it. A
      // `watch` call adds a middleware to the client that records the ids
      // of the calls it sees.
      const sdk = require('@aws-sdk/client-apigatewaymanagementapi');
      const client = new sdk.ApiGatewayManagementApiClient({
        endpoint: event.endpoint ?? process.env.WEBSOCKET_CALLBACK_URL,
        ...(event.credentials ? { credentials: event.credentials } : {}),
      });
      const seen = [];
      const run = async call => {
        if (call.op === 'watch') {
          client.middlewareStack.add(
            next => async args => {
              seen.push(args.input.ConnectionId);
              return next(args);
            },
            { step: 'initialize', name: 'probeWatch' },
          );
          return { seen };
        }
        const input = { ConnectionId: call.id };
        if (call.text !== undefined) input.Data = call.text;
        if (call.base64 !== undefined)
          input.Data = new Uint8Array(Buffer.from(call.base64, 'base64'));
        try {
          const { $metadata, ...output } = await client.send(
            new sdk[`${call.op}Command`](input),
          );
          return {
            status: $metadata.httpStatusCode,
            attempts: $metadata.attempts,
            output,
          };
        } catch (error) {
          return {
            error: error.name,
            message: error.message,
            status: error.$metadata?.httpStatusCode,
            fault: error.$fault,
            modelled:
              error instanceof sdk.ApiGatewayManagementApiServiceException,
            exactClass: error.constructor === sdk[error.name],
          };
        }
      };
      if (!event.oneByOne) return Promise.all(event.calls.map(run));
      const results = [];
      for (const call of event.calls) results.push(await run(call));
      return results;
    }
    case 'watch-collections': {
      // Counts forced (not V8-scheduled) major collections from now on,
      // after 300 ms of work; and whether handler code can reach a `gc`.
      const { PerformanceObserver, constants } = require('perf_hooks');
      new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
          if (
            entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR &&
            entry.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED
          )
            forcedCollections++;
        }
      }).observe({ entryTypes: ['gc'] });
      const until = Date.now() + 300;
      let garbage = [];
      while (Date.now() < until) garbage = [{ n: garbage.length }];
      return {
        gcGlobal: typeof globalThis.gc,
        gcInNewContext: require('vm').runInNewContext('typeof gc'),
      };
    }
    case 'collections':
      return forcedCollections;
    case 'modules':
      // What the runner process has loaded: its entry's modules among them.
      return Object.keys(require.cache);
    default:
      return { echo: event };
  }
};
