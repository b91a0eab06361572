import { SqsEngine } from './SqsEngine';
import { messagesToDelete } from './EventSourcePoller';

function engineAt(clock: { now: number }) {
  const engine = new SqsEngine({ now: () => clock.now });
  engine.createQueue({ name: 'jobs-dlq' });
  engine.createQueue({
    name: 'jobs',
    visibilityTimeout: 30,
    redrive: { deadLetterQueue: 'jobs-dlq', maxReceiveCount: 3 },
  });
  return engine;
}

describe('SqsEngine', () => {
  const clock = { now: 1_000_000 };
  let engine: SqsEngine;
  beforeEach(() => {
    clock.now = 1_000_000;
    engine = engineAt(clock);
  });
  afterEach(() => engine.close());

  it('hides a received message for the visibility timeout, then redelivers it with a new receipt handle', () => {
    engine.send('jobs', 'a');
    const [first] = engine.receive('jobs');
    expect(first.body).toBe('a');
    expect(first.attributes.ApproximateReceiveCount).toBe('1');
    expect(engine.counts('jobs')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    clock.now += 29_999;
    expect(engine.receive('jobs')).toEqual([]);
    clock.now += 1;
    const [again] = engine.receive('jobs');
    expect(again.messageId).toBe(first.messageId);
    expect(again.receiptHandle).not.toBe(first.receiptHandle);
    expect(again.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('deletes only with the latest receipt handle (a stale one succeeds and deletes nothing)', () => {
    engine.send('jobs', 'a');
    const [first] = engine.receive('jobs');
    clock.now += 30_000;
    const [second] = engine.receive('jobs');
    engine.delete('jobs', first.receiptHandle);
    expect(engine.counts('jobs').inFlight).toBe(1);
    engine.delete('jobs', second.receiptHandle);
    expect(engine.counts('jobs')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(() => engine.delete('jobs', 'garbage')).toThrow(/not a valid receipt handle/);
  });

  it('moves a message to the DLQ on the receive after maxReceiveCount receives, keeping its receive count', () => {
    engine.send('jobs', 'poison');
    for (let i = 1; i <= 3; i++) {
      expect(engine.receive('jobs')[0].attributes.ApproximateReceiveCount).toBe(String(i));
      clock.now += 30_000;
    }
    expect(engine.receive('jobs')).toEqual([]);
    expect(engine.counts('jobs')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [dead] = engine.receive('jobs-dlq');
    expect(dead.body).toBe('poison');
    expect(dead.attributes.ApproximateReceiveCount).toBe('4');
  });

  it('returns at most the batch asked for, at most 10', () => {
    for (let i = 0; i < 15; i++) engine.send('jobs', `m${i}`);
    expect(engine.receive('jobs', { maxMessages: 10 })).toHaveLength(10);
    expect(engine.receive('jobs', { maxMessages: 10 })).toHaveLength(5);
    expect(() => engine.receive('jobs', { maxMessages: 11 })).toThrow(/MaxNumberOfMessages/);
  });

  it('makes a message visible at once when its visibility is changed to 0', () => {
    engine.send('jobs', 'a');
    const [m] = engine.receive('jobs');
    engine.changeVisibility('jobs', m.receiptHandle, 0);
    expect(engine.receive('jobs')).toHaveLength(1);
    expect(() => engine.changeVisibility('jobs', m.receiptHandle, 10)).toThrow(/not in flight/);
  });

  it('delays a message by DelaySeconds', () => {
    engine.send('jobs', 'later', { delaySeconds: 5 });
    expect(engine.counts('jobs').delayed).toBe(1);
    expect(engine.receive('jobs')).toEqual([]);
    clock.now += 5000;
    expect(engine.receive('jobs')).toHaveLength(1);
  });

  it('scales visibility timeouts by timeScale', () => {
    const fast = new SqsEngine({ now: () => clock.now, timeScale: 0.01 });
    fast.createQueue({ name: 'q', visibilityTimeout: 100 });
    fast.send('q', 'a');
    fast.receive('q');
    clock.now += 999;
    expect(fast.receive('q')).toEqual([]);
    clock.now += 1;
    expect(fast.receive('q')).toHaveLength(1);
    fast.close();
  });

  it('refuses unknown queues as SQS does', () => {
    expect(() => engine.send('nope', 'a')).toThrow(expect.objectContaining({ code: 'QueueDoesNotExist' }));
  });
});

describe('messagesToDelete (the event source mapping after an invocation)', () => {
  const batch = ['a', 'b', 'c'].map(id => ({ messageId: id }) as any);

  it('deletes nothing when the function failed', () => {
    expect(messagesToDelete(batch, { ok: false, error: { name: 'E', message: 'x' }, durationMs: 1 }, true)).toEqual([]);
  });

  it('deletes all but the reported failures with ReportBatchItemFailures', () => {
    const outcome = { ok: true as const, result: { batchItemFailures: [{ itemIdentifier: 'b' }] }, durationMs: 1 };
    expect(messagesToDelete(batch, outcome, true).map(m => m.messageId)).toEqual(['a', 'c']);
    // Without the response type, a returned report means nothing: all succeeded.
    expect(messagesToDelete(batch, outcome, false)).toHaveLength(3);
  });

  it('treats a report naming a message not in the batch as the whole batch failing', () => {
    const outcome = { ok: true as const, result: { batchItemFailures: [{ itemIdentifier: 'zzz' }] }, durationMs: 1 };
    expect(messagesToDelete(batch, outcome, true)).toEqual([]);
  });
});
