/**
 * The source of the worker thread behind `workerIntegration`. It is plain
 * JavaScript evaluated by `new Worker(source, { eval: true })`, so it runs
 * the same whether the emulator is loaded from TypeScript sources or from a
 * build. The thread loads one handler and answers invocations:
 *   in:  { id, event, awsRequestId, deadline }
 *   out: { type: 'ready' } | { type: 'load-error', message }
 *        | { id, ok: true, value } | { id, ok: false, message }
 */
export const WORKER_THREAD_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const { file, exportName, functionName } = workerData;

async function load() {
  let exports;
  try {
    exports = createRequire(file)(file);
  } catch (error) {
    if (error && error.code !== 'ERR_REQUIRE_ESM') throw error;
    exports = await import(pathToFileURL(file).href);
  }
  const handler =
    exports[exportName] ?? (exports.default && exports.default[exportName]);
  if (typeof handler !== 'function') {
    throw new Error('has no function export ' + JSON.stringify(exportName));
  }
  return handler;
}

const base = {
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:' + functionName,
  memoryLimitInMB: '128',
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: true,
};

function reply(message) {
  try {
    parentPort.postMessage(message);
  } catch (error) {
    // The handler returned something that cannot cross threads.
    parentPort.postMessage({ id: message.id, ok: false, message: String(error) });
  }
}

load().then(
  handler => {
    parentPort.on('message', ({ id, event, awsRequestId, deadline }) => {
      const context = {
        ...base,
        awsRequestId,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      };
      let call;
      try {
        call = Promise.resolve(handler(event, context));
      } catch (error) {
        call = Promise.reject(error);
      }
      call.then(
        value => reply({ id, ok: true, value }),
        error =>
          reply({
            id,
            ok: false,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    });
    parentPort.postMessage({ type: 'ready' });
  },
  error => {
    parentPort.postMessage({
      type: 'load-error',
      message: error instanceof Error ? error.message : String(error),
    });
  },
);
`;
