import { randomUUID } from 'crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import {
  MAX_RECEIVE_BATCH,
  ReceivedMessage,
  SqsEngine,
  SqsError,
} from './SqsEngine';

/** Longest request body accepted: ten largest messages and their envelope. */
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
/** Longest long poll, as in SQS. */
const MAX_WAIT_SECONDS = 20;

type Json = Record<string, any>;

/** SQS's query-compatible error codes, for the `x-amzn-query-error` header. */
const QUERY_ERRORS: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  ReceiptHandleIsInvalid: 'ReceiptHandleIsInvalid',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  InvalidParameterValue: 'InvalidParameterValue',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

/** The queue name a queue URL ends with. */
export function queueNameOf(queueUrl: unknown): string {
  if (typeof queueUrl !== 'string' || queueUrl.length === 0) {
    throw new SqsError(
      'InvalidParameterValue',
      'The request must contain the parameter QueueUrl.',
    );
  }
  return queueUrl.replace(/\/+$/, '').split('/').pop()!;
}

/** The URL of a queue on a server at `endpoint` (`http://127.0.0.1:port`). */
export function queueUrlOf(
  endpoint: string,
  accountId: string,
  name: string,
): string {
  return `${endpoint}/${accountId}/${name}`;
}

function wantsAll(names: unknown, ...all: string[]): (name: string) => boolean {
  const list = Array.isArray(names) ? names.map(String) : [];
  if (list.some(n => all.includes(n))) return () => true;
  return name => list.includes(name);
}

function messageJson(message: ReceivedMessage, request: Json): Json {
  const wantAttribute = wantsAll(
    [
      ...(request.AttributeNames ?? []),
      ...(request.MessageSystemAttributeNames ?? []),
    ],
    'All',
  );
  const attributes = Object.fromEntries(
    Object.entries(message.attributes).filter(([name]) => wantAttribute(name)),
  );
  const wantMessageAttribute = wantsAll(
    request.MessageAttributeNames,
    'All',
    '.*',
  );
  const messageAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes ?? {}).filter(([name]) =>
      wantMessageAttribute(name),
    ),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(Object.keys(messageAttributes).length > 0
      ? {
          MessageAttributes: messageAttributes,
          MD5OfMessageAttributes: message.md5OfMessageAttributes,
        }
      : {}),
  };
}

/** Waits until `queue` may have messages, or `ms` passed. */
function available(
  engine: SqsEngine,
  queue: string,
  ms: number,
): Promise<void> {
  return new Promise(resolve => {
    let timer: NodeJS.Timeout | undefined = undefined;
    function onAvailable(name: string) {
      if (name === queue) done();
    }
    function done() {
      clearTimeout(timer);
      engine.off('available', onAvailable);
      resolve();
    }
    timer = setTimeout(done, ms);
    engine.on('available', onAvailable);
  });
}

/** Answers one batch entry at a time, as the batch actions do. */
function batch(
  entries: unknown,
  each: (entry: Json) => Json,
): { Successful: Json[]; Failed: Json[] } {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError(
      'EmptyBatchRequest',
      'There should be at least one entry in the request.',
    );
  }
  if (entries.length > MAX_RECEIVE_BATCH) {
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_RECEIVE_BATCH}.`,
    );
  }
  const ids = new Set(entries.map(e => (e as Json).Id));
  if (ids.size !== entries.length) {
    throw new SqsError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  const Successful: Json[] = [];
  const Failed: Json[] = [];
  for (const entry of entries as Json[]) {
    try {
      Successful.push({ Id: entry.Id, ...each(entry) });
    } catch (e) {
      if (!(e instanceof SqsError)) throw e;
      Failed.push({
        Id: entry.Id,
        SenderFault: true,
        Code: e.code,
        Message: e.message,
      });
    }
  }
  return { Successful, Failed };
}

/** The SQS actions served, by `X-Amz-Target` name. */
function actions(
  engine: SqsEngine,
  endpoint: () => string,
): Record<string, (request: Json) => Json | Promise<Json>> {
  const url = (name: string) => queueUrlOf(endpoint(), engine.accountId, name);
  const send = (queue: string, entry: Json) => {
    const sent = engine.send(queue, String(entry.MessageBody ?? ''), {
      delaySeconds: entry.DelaySeconds,
      messageAttributes: entry.MessageAttributes,
    });
    return {
      MessageId: sent.messageId,
      MD5OfMessageBody: sent.md5OfBody,
      ...(sent.md5OfMessageAttributes
        ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes }
        : {}),
    };
  };
  return {
    GetQueueUrl: request => {
      engine.definitionOf(String(request.QueueName));
      return { QueueUrl: url(String(request.QueueName)) };
    },
    ListQueues: request => ({
      QueueUrls: engine
        .names()
        .filter(n => n.startsWith(String(request.QueueNamePrefix ?? '')))
        .map(url),
    }),
    GetQueueAttributes: request => {
      const name = queueNameOf(request.QueueUrl);
      const definition = engine.definitionOf(name);
      const counts = engine.counts(name);
      const all: Record<string, string> = {
        QueueArn: engine.arnOf(name),
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        VisibilityTimeout: String(definition.visibilityTimeout ?? 30),
        DelaySeconds: String(definition.delaySeconds ?? 0),
        MessageRetentionPeriod: String(
          definition.messageRetentionPeriod ?? 345600,
        ),
        ...(definition.redrive
          ? {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: engine.arnOf(
                  definition.redrive.deadLetterQueue,
                ),
                maxReceiveCount: definition.redrive.maxReceiveCount,
              }),
            }
          : {}),
      };
      const want = wantsAll(request.AttributeNames, 'All');
      return {
        Attributes: Object.fromEntries(
          Object.entries(all).filter(([n]) => want(n)),
        ),
      };
    },
    SendMessage: request => send(queueNameOf(request.QueueUrl), request),
    SendMessageBatch: request => {
      const name = queueNameOf(request.QueueUrl);
      engine.definitionOf(name);
      return batch(request.Entries, entry => send(name, entry));
    },
    ReceiveMessage: async request => {
      const name = queueNameOf(request.QueueUrl);
      const wait = Math.min(
        Number(request.WaitTimeSeconds ?? 0),
        MAX_WAIT_SECONDS,
      );
      const deadline = Date.now() + wait * 1000;
      const receive = () =>
        engine.receive(name, {
          maxMessages: request.MaxNumberOfMessages ?? 1,
          visibilityTimeout: request.VisibilityTimeout,
        });
      let messages = receive();
      while (messages.length === 0 && Date.now() < deadline) {
        await available(engine, name, deadline - Date.now());
        messages = receive();
      }
      return { Messages: messages.map(m => messageJson(m, request)) };
    },
    DeleteMessage: request => {
      engine.delete(
        queueNameOf(request.QueueUrl),
        String(request.ReceiptHandle ?? ''),
      );
      return {};
    },
    DeleteMessageBatch: request => {
      const name = queueNameOf(request.QueueUrl);
      engine.definitionOf(name);
      return batch(request.Entries, entry => {
        engine.delete(name, String(entry.ReceiptHandle ?? ''));
        return {};
      });
    },
    ChangeMessageVisibility: request => {
      engine.changeVisibility(
        queueNameOf(request.QueueUrl),
        String(request.ReceiptHandle ?? ''),
        Number(request.VisibilityTimeout),
      );
      return {};
    },
    ChangeMessageVisibilityBatch: request => {
      const name = queueNameOf(request.QueueUrl);
      engine.definitionOf(name);
      return batch(request.Entries, entry => {
        engine.changeVisibility(
          name,
          String(entry.ReceiptHandle ?? ''),
          Number(entry.VisibilityTimeout),
        );
        return {};
      });
    },
    PurgeQueue: request => {
      engine.purge(queueNameOf(request.QueueUrl));
      return {};
    },
  };
}

function reply(
  response: ServerResponse,
  status: number,
  body: Json,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new SqsError('BatchRequestTooLong', 'The request is too long.'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * An HTTP server speaking SQS's JSON protocol (`AWS_JSON_1_0`, what the AWS
 * SDK v3 uses) over an {@link SqsEngine}. Requests are not signature-checked:
 * it listens on loopback for one preview's functions only.
 */
export function createSqsServer(engine: SqsEngine): Server {
  let endpoint = '';
  const served = actions(engine, () => endpoint);
  const server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = served[target.replace(/^AmazonSQS\./, '')];
    try {
      if (request.method !== 'POST' || !target.startsWith('AmazonSQS.')) {
        throw new SqsError(
          'UnsupportedOperation',
          'Only the JSON protocol (X-Amz-Target: AmazonSQS.<Action>) is served.',
        );
      }
      if (!action) {
        throw new SqsError(
          'UnsupportedOperation',
          `${target} is not supported by the local queue engine.`,
        );
      }
      const text = await readBody(request);
      let body: Json;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        throw new SqsError(
          'InvalidParameterValue',
          'The request body is not JSON.',
        );
      }
      reply(response, 200, await action(body));
    } catch (e) {
      const error =
        e instanceof SqsError
          ? e
          : new SqsError(
              'InternalError',
              String((e as Error)?.message ?? e),
              500,
            );
      reply(
        response,
        error.status,
        { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
        {
          'x-amzn-query-error': `${QUERY_ERRORS[error.code] ?? error.code};${
            error.status < 500 ? 'Sender' : 'Receiver'
          }`,
        },
      );
    }
  });
  server.on('listening', () => {
    const address = server.address();
    if (address && typeof address === 'object')
      endpoint = `http://127.0.0.1:${address.port}`;
  });
  return server;
}
