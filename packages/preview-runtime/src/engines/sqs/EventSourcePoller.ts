import type { MappingPlan } from '../../plan/types';
import type { InvokeResult } from '../../types';
import { ReceivedMessage, SqsEngine } from './SqsEngine';

/** Longest wait between two looks at an empty queue (timers wake it sooner). */
const IDLE_WAIT_MS = 1000;

/** The SQS event record Lambda gives a function for one message. */
export function sqsRecord(
  message: ReceivedMessage,
  queueArn: string,
  region: string,
) {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: message.attributes,
    messageAttributes: Object.fromEntries(
      Object.entries(message.messageAttributes ?? {}).map(([name, a]) => [
        name,
        {
          dataType: a.DataType,
          ...(a.StringValue !== undefined
            ? { stringValue: a.StringValue }
            : {}),
          ...(a.BinaryValue !== undefined
            ? { binaryValue: a.BinaryValue }
            : {}),
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The messages of a batch to delete after an invocation, as Lambda's SQS
 * event source mapping decides: none when the function failed; with
 * `ReportBatchItemFailures`, all but the reported ones (none if a report
 * names a message not in the batch, or is malformed); else all.
 */
export function messagesToDelete(
  batch: readonly ReceivedMessage[],
  outcome: InvokeResult,
  reportBatchItemFailures: boolean,
): ReceivedMessage[] {
  if (!outcome.ok) return [];
  if (!reportBatchItemFailures) return [...batch];
  const failures = (outcome.result as { batchItemFailures?: unknown } | null)
    ?.batchItemFailures;
  if (failures === undefined || failures === null) return [...batch];
  if (!Array.isArray(failures)) return [];
  const ids = new Set(batch.map(m => m.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return [];
    failed.add(id);
  }
  return batch.filter(m => !failed.has(m.messageId));
}

/**
 * One SQS event source mapping: receives batches of up to `batchSize` from
 * its queue (the queue's visibility timeout applies), invokes the function
 * with them, deletes what succeeded; the rest comes back after the
 * visibility timeout and, past `maxReceiveCount`, goes to the DLQ. One batch
 * in flight at a time.
 */
export class EventSourcePoller {
  private running = true;
  private wake?: () => void;
  private readonly onAvailable = (name: string) => {
    if (name === this.mapping.queue) this.wake?.();
  };
  readonly done: Promise<void>;

  constructor(
    private readonly engine: SqsEngine,
    private readonly mapping: MappingPlan,
    private readonly invoke: (
      fn: string,
      event: unknown,
    ) => Promise<InvokeResult>,
  ) {
    engine.on('available', this.onAvailable);
    this.done = this.loop();
  }

  private idle(): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(() => this.wake?.(), IDLE_WAIT_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    const { queue, batchSize } = this.mapping;
    const arn = this.engine.arnOf(queue);
    while (this.running) {
      const batch = this.engine.receive(queue, {
        maxMessages: Math.min(batchSize, 10),
      });
      if (batch.length === 0) {
        await this.idle();
        continue;
      }
      const outcome = await this.invoke(this.mapping.function, {
        Records: batch.map(m => sqsRecord(m, arn, this.engine.region)),
      });
      for (const message of messagesToDelete(
        batch,
        outcome,
        this.mapping.reportBatchItemFailures,
      )) {
        this.engine.delete(queue, message.receiptHandle);
      }
    }
  }

  stop(): void {
    this.running = false;
    this.engine.off('available', this.onAvailable);
    this.wake?.();
  }
}
