import { isUtf8 } from 'node:buffer';
import type { ActivityLog } from '../activity/ActivityLog';
import type { Connection } from '../connection/Connection';
import { toInfo } from '../connection/ConnectionRegistry';
import type { ConnectionHolder } from './ConnectionDirectory';
import { GoneException, LimitExceededException } from './errors';

/**
 * The `@connections` operations on one emulator's own connections. A
 * connection that is closing is held but gone.
 */
export function localConnections(
  find: (connectionId: string) => Connection | undefined,
  log: ActivityLog,
): ConnectionHolder {
  const open = (connectionId: string): Connection => {
    const connection = find(connectionId);
    if (!connection || connection.closing) {
      throw new GoneException(connectionId);
    }
    return connection;
  };
  return {
    holds: connectionId => find(connectionId) !== undefined,
    // A text frame when the data is valid UTF-8, a binary frame otherwise.
    async post(connectionId, data) {
      const connection = open(connectionId);
      if (!connection.canSend(data.length)) {
        connection.droppedFrames++;
        throw new LimitExceededException(connectionId);
      }
      const isText = isUtf8(data);
      log.send(
        connection,
        isText ? data.toString('utf8') : data,
        !isText,
        data.length,
      );
      connection.lastActiveAt = Date.now();
    },
    async get(connectionId) {
      return toInfo(open(connectionId));
    },
    async delete(connectionId) {
      open(connectionId).close(1000, '');
    },
  };
}
