import { connectEvent } from '../events';

/** A `$connect` event of a local connection, for integration tests. */
export function sampleConnectEvent() {
  return connectEvent({
    connectionId: 'L0SM9cOFvHcCIhw=',
    connectedAt: Date.now(),
    sourceIp: '127.0.0.1',
    stage: 'dev',
    domainName: 'localhost',
    apiId: 'abcde12345',
    headers: { Host: 'localhost' },
    multiValueHeaders: { Host: ['localhost'] },
  });
}
