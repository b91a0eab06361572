import type { IIoHost, IoMessage, IoRequest } from '@aws-cdk/toolkit-lib';

/**
 * A toolkit IO host that prints nothing, answers every request with its
 * default, and keeps error messages for the caller.
 */
export class QuietIoHost implements IIoHost {
  /** Error messages the toolkit reported. */
  readonly errors: string[] = [];

  async notify(msg: IoMessage<unknown>): Promise<void> {
    if (msg.level === 'error') {
      this.errors.push(msg.message);
    }
  }

  async requestResponse<T>(msg: IoRequest<unknown, T>): Promise<T> {
    return msg.defaultResponse;
  }
}
