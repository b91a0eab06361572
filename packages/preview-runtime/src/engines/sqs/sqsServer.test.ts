import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { Server } from 'http';
import { AddressInfo } from 'net';
import { SqsEngine } from './SqsEngine';
import { createSqsServer } from './sqsServer';

describe('createSqsServer (SQS JSON protocol, real AWS SDK v3 client)', () => {
  let engine: SqsEngine;
  let server: Server;
  let sqs: SQSClient;
  let url: string;

  beforeAll(async () => {
    engine = new SqsEngine();
    engine.createQueue({ name: 'jobs-dlq' });
    engine.createQueue({
      name: 'jobs',
      visibilityTimeout: 30,
      redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount: 2 },
    });
    server = createSqsServer(engine);
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    const endpoint = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;
    sqs = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'jobs' })))
      .QueueUrl!;
  });

  afterAll(() => {
    sqs.destroy();
    engine.close();
    server.close();
  });

  it('sends and receives with the MD5s the SDK checks, message attributes and system attributes', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/000000000000\/jobs$/);
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'héllo',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'job' },
          n: { DataType: 'Number', StringValue: '3' },
          raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(sent.MessageId).toBeDefined();
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages![0].Body).toBe('héllo');
    expect(Messages![0].MessageAttributes?.kind.StringValue).toBe('job');
    expect(Messages![0].Attributes?.ApproximateReceiveCount).toBe('1');
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [{ Id: '1', ReceiptHandle: Messages![0].ReceiptHandle }],
      }),
    );
    expect(engine.counts('jobs')).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });

  it('reports depths and redrive policy through GetQueueAttributes, and redelivery through ChangeMessageVisibility', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'a' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      VisibilityTimeout: '30',
    });
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:jobs-dlq',
      maxReceiveCount: 2,
    });
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: Messages![0].ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(again.Messages?.map(m => m.Body).sort()).toEqual(['a', 'b']);
    engine.purge('jobs');
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const started = Date.now();
    const receiving = sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }),
    );
    setTimeout(() => engine.send('jobs', 'late'), 200);
    const { Messages } = await receiving;
    expect(Messages?.[0].Body).toBe('late');
    expect(Date.now() - started).toBeLessThan(3000);
    engine.purge('jobs');
  });

  it('fails as SQS does: the SDK sees QueueDoesNotExist', async () => {
    await expect(
      sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })),
    ).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
    await expect(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url.replace(/jobs$/, 'nope'),
          MessageBody: 'x',
        }),
      ),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
