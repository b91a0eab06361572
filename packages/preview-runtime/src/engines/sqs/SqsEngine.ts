import { randomUUID } from 'crypto';
import { EventEmitter } from 'events';
import {
  MessageAttributeValue,
  md5OfBody,
  md5OfMessageAttributes,
} from './md5';

/** A queue's settings, as its CloudFormation resource gives them. */
export interface QueueDefinition {
  readonly name: string;
  /** Seconds a received message stays invisible. @default 30 */
  readonly visibilityTimeout?: number;
  /** Seconds a sent message waits before it is first visible. @default 0 */
  readonly delaySeconds?: number;
  /** Seconds a message is kept. @default 345600 (4 days) */
  readonly messageRetentionPeriod?: number;
  /** Where a message goes once received more than `maxReceiveCount` times. */
  readonly redrive?: {
    readonly deadLetterQueue: string;
    readonly maxReceiveCount: number;
  };
}

/** The failure of an SQS operation, named as SQS names it. */
export class SqsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = code;
  }
}

/** A message as a receiver gets it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly messageAttributes?: Record<string, MessageAttributeValue>;
  readonly attributes: {
    readonly ApproximateReceiveCount: string;
    readonly SentTimestamp: string;
    readonly ApproximateFirstReceiveTimestamp: string;
    readonly SenderId: string;
  };
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  readonly md5OfAttributes?: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The receipt handle of the latest receive; only it deletes the message. */
  receipt?: string;
  /** In flight: received, and its visibility timeout has not run out. */
  inFlight: boolean;
}

interface Queue {
  readonly definition: QueueDefinition;
  readonly arn: string;
  /** In the order sent (a standard queue's best effort order). */
  readonly messages: StoredMessage[];
}

/** Options of {@link SqsEngine}. */
export interface SqsEngineOptions {
  /** The account in ARNs and queue URLs. @default '000000000000' */
  readonly accountId?: string;
  readonly region?: string;
  /**
   * Multiplies visibility timeouts and delays: a preview may redeliver
   * sooner than the deployed queue would, keeping the order of events.
   *
   * @default 1
   */
  readonly timeScale?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** Most messages one receive returns, as in SQS. */
export const MAX_RECEIVE_BATCH = 10;
/** Largest message body, in bytes, as in SQS. */
export const MAX_MESSAGE_BYTES = 262_144;

/**
 * The queues of one preview, in memory, with the SQS semantics the safety
 * rules rest on: a received message is invisible for the visibility timeout
 * and comes back unless deleted with its latest receipt handle; once received
 * `maxReceiveCount` times, the next receive moves it to the dead-letter queue
 * instead; a receive returns at most 10 messages. Emits `available` with a
 * queue name whenever messages may have become receivable.
 */
export class SqsEngine extends EventEmitter {
  readonly accountId: string;
  readonly region: string;
  private readonly queues = new Map<string, Queue>();
  private readonly timeScale: number;
  private readonly now: () => number;
  private readonly wakeUps = new Map<string, NodeJS.Timeout>();

  constructor(options: SqsEngineOptions = {}) {
    super();
    this.accountId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.timeScale = options.timeScale ?? 1;
    this.now = options.now ?? Date.now;
  }

  createQueue(definition: QueueDefinition): void {
    if (this.queues.has(definition.name)) {
      throw new SqsError(
        'QueueNameExists',
        `queue ${definition.name} exists already`,
      );
    }
    this.queues.set(definition.name, {
      definition,
      arn: `arn:aws:sqs:${this.region}:${this.accountId}:${definition.name}`,
      messages: [],
    });
  }

  /** Queue names, in creation order. */
  names(): string[] {
    return [...this.queues.keys()];
  }

  arnOf(name: string): string {
    return this.queue(name).arn;
  }

  definitionOf(name: string): QueueDefinition {
    return this.queue(name).definition;
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) {
      throw new SqsError(
        'QueueDoesNotExist',
        'The specified queue does not exist.',
      );
    }
    return queue;
  }

  private seconds(value: number): number {
    return value * 1000 * this.timeScale;
  }

  /** Returns in-flight messages whose timeout ran out; drops expired ones. */
  private settle(queue: Queue): void {
    const now = this.now();
    const retention = this.seconds(
      queue.definition.messageRetentionPeriod ?? 345_600,
    );
    for (let i = queue.messages.length - 1; i >= 0; i--) {
      const message = queue.messages[i];
      if (message.inFlight && message.visibleAt <= now)
        message.inFlight = false;
      if (message.sentAt + retention <= now) queue.messages.splice(i, 1);
    }
  }

  /** Wakes waiting receivers when the next message of `queue` becomes visible. */
  private scheduleWakeUp(queue: Queue): void {
    const name = queue.definition.name;
    clearTimeout(this.wakeUps.get(name));
    const next = Math.min(
      ...queue.messages.map(m => m.visibleAt).filter(t => t > this.now()),
    );
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => {
      this.wakeUps.delete(name);
      this.emit('available', name);
      this.scheduleWakeUp(queue);
    }, Math.max(0, next - this.now()));
    timer.unref();
    this.wakeUps.set(name, timer);
  }

  send(
    name: string,
    body: string,
    options: {
      delaySeconds?: number;
      messageAttributes?: Record<string, MessageAttributeValue>;
    } = {},
  ): { messageId: string; md5OfBody: string; md5OfMessageAttributes?: string } {
    const queue = this.queue(name);
    if (body.length === 0) {
      throw new SqsError(
        'InvalidParameterValue',
        'The request must contain the parameter MessageBody.',
      );
    }
    if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES) {
      throw new SqsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    const delay = options.delaySeconds ?? queue.definition.delaySeconds ?? 0;
    if (delay < 0 || delay > 900) {
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
      );
    }
    const attributes =
      options.messageAttributes &&
      Object.keys(options.messageAttributes).length > 0
        ? options.messageAttributes
        : undefined;
    const now = this.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5OfBody: md5OfBody(body),
      attributes,
      md5OfAttributes: attributes && md5OfMessageAttributes(attributes),
      sentAt: now,
      visibleAt: now + this.seconds(delay),
      receiveCount: 0,
      inFlight: false,
    };
    queue.messages.push(message);
    if (delay > 0) this.scheduleWakeUp(queue);
    else this.emit('available', name);
    return {
      messageId: message.id,
      md5OfBody: message.md5OfBody,
      md5OfMessageAttributes: message.md5OfAttributes,
    };
  }

  /**
   * Receives up to `maxMessages` visible messages (1 to 10) without waiting.
   * A message already received `maxReceiveCount` times moves to the queue's
   * dead-letter queue here, as SQS moves it on the receive after its last.
   */
  receive(
    name: string,
    options: { maxMessages?: number; visibilityTimeout?: number } = {},
  ): ReceivedMessage[] {
    const queue = this.queue(name);
    const max = options.maxMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE_BATCH) {
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      );
    }
    const timeout =
      options.visibilityTimeout ?? queue.definition.visibilityTimeout ?? 30;
    this.settle(queue);
    const now = this.now();
    const received: ReceivedMessage[] = [];
    const redrive = queue.definition.redrive;
    for (let i = 0; i < queue.messages.length && received.length < max; ) {
      const message = queue.messages[i];
      if (message.inFlight || message.visibleAt > now) {
        i++;
        continue;
      }
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        queue.messages.splice(i, 1);
        this.moveToDeadLetterQueue(message, redrive.deadLetterQueue);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receipt = `${message.id}#${randomUUID()}`;
      message.inFlight = true;
      message.visibleAt = now + this.seconds(timeout);
      received.push({
        messageId: message.id,
        receiptHandle: Buffer.from(`${name}#${message.receipt}`).toString(
          'base64',
        ),
        body: message.body,
        md5OfBody: message.md5OfBody,
        ...(message.attributes
          ? {
              messageAttributes: message.attributes,
              md5OfMessageAttributes: message.md5OfAttributes,
            }
          : {}),
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
          SenderId: this.accountId,
        },
      });
      i++;
    }
    if (received.length > 0) this.scheduleWakeUp(queue);
    return received;
  }

  private moveToDeadLetterQueue(message: StoredMessage, dlqName: string): void {
    const dlq = this.queues.get(dlqName);
    // SQS keeps a message whose dead-letter queue is gone in its queue; the
    // template always creates both, so a missing one is dropped loudly.
    if (!dlq) {
      this.emit('dropped', message.id, dlqName);
      return;
    }
    // The original sent timestamp and receive count go along, as in SQS.
    dlq.messages.push({
      ...message,
      inFlight: false,
      receipt: undefined,
      visibleAt: this.now(),
    });
    this.emit('available', dlqName);
  }

  private inFlightMessage(
    name: string,
    receiptHandle: string,
  ): {
    queue: Queue;
    index: number;
  } {
    const queue = this.queue(name);
    const decoded = Buffer.from(receiptHandle, 'base64').toString('utf8');
    const [queueName, ...rest] = decoded.split('#');
    const receipt = rest.join('#');
    if (!receipt || queueName !== name) {
      throw new SqsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
      );
    }
    this.settle(queue);
    return {
      queue,
      index: queue.messages.findIndex(m => m.receipt === receipt),
    };
  }

  /**
   * Deletes the message last received with `receiptHandle`. As in SQS, a
   * stale handle (the message was received again since) succeeds and
   * deletes nothing.
   */
  delete(name: string, receiptHandle: string): void {
    const { queue, index } = this.inFlightMessage(name, receiptHandle);
    if (index >= 0) queue.messages.splice(index, 1);
  }

  changeVisibility(name: string, receiptHandle: string, seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) {
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`,
      );
    }
    const { queue, index } = this.inFlightMessage(name, receiptHandle);
    const message = queue.messages[index];
    if (!message?.inFlight) {
      throw new SqsError(
        'MessageNotInflight',
        'The message referred to is not in flight.',
      );
    }
    message.visibleAt = this.now() + this.seconds(seconds);
    if (seconds === 0) {
      message.inFlight = false;
      this.emit('available', name);
    }
    this.scheduleWakeUp(queue);
  }

  purge(name: string): void {
    this.queue(name).messages.length = 0;
  }

  /** Approximate counts, as GetQueueAttributes gives them. */
  counts(name: string): { visible: number; inFlight: number; delayed: number } {
    const queue = this.queue(name);
    this.settle(queue);
    const now = this.now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of queue.messages) {
      if (message.inFlight) inFlight++;
      else if (message.visibleAt > now) delayed++;
      else visible++;
    }
    return { visible, inFlight, delayed };
  }

  /** Stops the engine's timers. */
  close(): void {
    for (const timer of this.wakeUps.values()) clearTimeout(timer);
    this.wakeUps.clear();
  }
}
