import type { ConnectionInfo } from '../types';
import {
  ConnectionDirectory,
  ConnectionHolder,
  locateConnections,
} from './ConnectionDirectory';
import { GoneException } from './errors';

const info = (sourceIp: string): ConnectionInfo => ({
  connectedAt: '2026-01-01T00:00:00.000Z',
  identity: { sourceIp, userAgent: '' },
  lastActiveAt: '2026-01-01T00:00:00.000Z',
});

/** A holder of `ids` that records the operations it ran. */
function holder(
  name: string,
  ids: string[],
  calls: string[],
): ConnectionHolder {
  return {
    holds: id => ids.includes(id),
    post: async (id, data) => {
      calls.push(`${name} post ${id} ${data}`);
    },
    get: async id => {
      calls.push(`${name} get ${id}`);
      return info(name);
    },
    delete: async id => {
      calls.push(`${name} delete ${id}`);
    },
  };
}

describe('locateConnections', () => {
  it('asks the first holder here that holds the connection, else elsewhere', async () => {
    const calls: string[] = [];
    const elsewhere: ConnectionDirectory = holder('remote', [], calls);
    const directory = locateConnections({
      here: () => [holder('a', ['1'], calls), holder('b', ['1', '2'], calls)],
      elsewhere: () => elsewhere,
    });
    await directory.post('1', Buffer.from('x'));
    expect(await directory.get('2')).toEqual(info('b'));
    await directory.delete('3');
    expect(calls).toEqual(['a post 1 x', 'b get 2', 'remote delete 3']);
  });

  it('throws GoneException when no holder here has it and there is no elsewhere', async () => {
    const replicas: { remote?: ConnectionDirectory } = {};
    const calls: string[] = [];
    const directory = locateConnections({
      here: () => [holder('a', ['1'], calls)],
      elsewhere: () => replicas.remote,
    });
    await expect(directory.get('2')).rejects.toBeInstanceOf(GoneException);
    await expect(directory.post('2', Buffer.from('x'))).rejects.toMatchObject({
      errorType: 'GoneException',
      statusCode: 410,
    });
    // elsewhere is asked on every operation: it may appear later.
    replicas.remote = holder('remote', [], calls);
    await directory.delete('2');
    expect(calls).toEqual(['remote delete 2']);
  });
});
