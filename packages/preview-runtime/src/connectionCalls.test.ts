import {
  GoneException,
  LimitExceededException,
  ManagementApiError,
} from '@stackyard/ws-emulator';
import { connectionCalls } from './connectionCalls';
import type { ConnectionsAnswer } from './runner/protocol';
import type { PreviewConnections } from './types';

function recording() {
  const ran: string[] = [];
  const connections: PreviewConnections = {
    endpoint: 'http://127.0.0.1:1/sockets/e/dev',
    accessKeyId: 'K',
    post: async (id, data) => {
      ran.push(`post ${id} ${data.toString('hex')}`);
      if (id === 'gone') throw new GoneException(id);
      if (id === 'busy') throw new LimitExceededException(id);
      if (id === 'broken') throw new Error('database is down');
      if (id === 'server')
        throw new ManagementApiError('InternalServerErrorException', 500, 'x');
    },
    get: async id => {
      ran.push(`get ${id}`);
      return {
        connectedAt: 'a',
        identity: { sourceIp: '127.0.0.1', userAgent: '' },
        lastActiveAt: 'b',
      };
    },
    delete: async id => {
      ran.push(`delete ${id}`);
    },
  };
  const lines: ConnectionsAnswer[][] = [];
  const serve = connectionCalls(connections, answers => lines.push(answers));
  const settled = () => new Promise(r => setTimeout(r, 10));
  return { ran, lines, serve, settled };
}

describe('connectionCalls', () => {
  it('runs the calls in the order sent and answers them together', async () => {
    const { ran, lines, serve, settled } = recording();
    serve({
      calls: [
        { id: 1, op: 'post', connectionId: 'c', data: 'é' },
        { id: 2, op: 'post', connectionId: 'c', base64: 'AP8=' },
        { id: 3, op: 'get', connectionId: 'c' },
        { id: 4, op: 'delete', connectionId: 'c' },
      ],
    });
    await settled();
    expect(ran).toEqual(['post c c3a9', 'post c 00ff', 'get c', 'delete c']);
    expect(lines).toEqual([
      [
        { id: 1 },
        { id: 2 },
        {
          id: 3,
          value: {
            connectedAt: 'a',
            identity: { sourceIp: '127.0.0.1', userAgent: '' },
            lastActiveAt: 'b',
          },
        },
        { id: 4 },
      ],
    ]);
  });

  it("answers the API's client errors as they are, and has the runner retry the rest over HTTP", async () => {
    const { lines, serve, settled } = recording();
    serve({
      calls: ['gone', 'busy', 'broken', 'server'].map((connectionId, i) => ({
        id: i + 1,
        op: 'post',
        connectionId,
        data: 'x',
      })),
    });
    await settled();
    expect(lines.flat()).toEqual([
      {
        id: 1,
        error: {
          name: 'GoneException',
          message: 'Connection gone is gone',
          status: 410,
        },
      },
      { id: 2, http: true },
      { id: 3, http: true },
      { id: 4, http: true },
    ]);
  });

  it('runs nothing a runner forged: unknown operations and malformed ids go to HTTP, calls without an id are dropped', async () => {
    const { ran, lines, serve, settled } = recording();
    serve({
      calls: [
        { id: 1, op: 'publish', connectionId: 'c' },
        { id: 2, op: 'post', connectionId: 'i'.repeat(129), data: 'x' },
        { id: 3, op: 'get', connectionId: '' },
        { id: 4, op: 'delete', connectionId: 7 },
        { id: 'x', op: 'post', connectionId: 'c', data: 'x' },
        null,
      ],
    });
    serve({ calls: 'not a list' });
    await settled();
    expect(ran).toEqual([]);
    expect(lines.flat()).toEqual([
      { id: 1, http: true },
      { id: 2, http: true },
      { id: 3, http: true },
      { id: 4, http: true },
    ]);
  });
});
