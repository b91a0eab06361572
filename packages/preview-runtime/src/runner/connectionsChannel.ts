import {
  CONNECTIONS_BATCH_CHARS,
  type ConnectionsAnswer,
  type ConnectionsCall,
} from './protocol';

/** What a call comes to: its answer, without its id. */
export type ConnectionsOutcome =
  | { value?: unknown }
  | { error: { name: string; message: string; status: number } }
  | { http: true };

/**
 * The runner's side of `@connections` calls over its channel: calls made
 * in one turn of the event loop go out as one line, in the order they were
 * made (so posts to one connection arrive in order), and each call resolves
 * with the backend's answer to it.
 */
export class ConnectionsChannel {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    (outcome: ConnectionsOutcome) => void
  >();
  private batch: string[] = [];
  private batchChars = 0;
  private flushScheduled = false;

  constructor(private readonly writeLine: (line: string) => void) {}

  call(
    op: ConnectionsCall['op'],
    connectionId: string,
    data?: { text: string } | { base64: string },
  ): Promise<ConnectionsOutcome> {
    const id = this.nextId++;
    const call: ConnectionsCall = {
      id,
      op,
      connectionId,
      ...(data && 'text' in data ? { data: data.text } : {}),
      ...(data && 'base64' in data ? { base64: data.base64 } : {}),
    };
    const json = JSON.stringify(call);
    this.batch.push(json);
    this.batchChars += json.length;
    const outcome = new Promise<ConnectionsOutcome>(resolve =>
      this.waiting.set(id, resolve),
    );
    if (this.batchChars >= CONNECTIONS_BATCH_CHARS) {
      this.flush();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return outcome;
  }

  /** Settles the calls the backend answered; an answer to no call is ignored. */
  answer(answers: readonly ConnectionsAnswer[]): void {
    for (const answer of answers) {
      const resolve = this.waiting.get(answer?.id);
      if (!resolve) continue;
      this.waiting.delete(answer.id);
      resolve(answer);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0) return;
    const line = `{"type":"connections","calls":[${this.batch.join(',')}]}`;
    this.batch = [];
    this.batchChars = 0;
    this.writeLine(line);
  }
}
