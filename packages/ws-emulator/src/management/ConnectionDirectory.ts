import type { ConnectionInfo } from '../types';
import { GoneException } from './errors';

/**
 * The `@connections` operations on connections by id. Each method throws a
 * `ManagementApiError`: `GoneException` when the connection is held
 * nowhere this directory can reach.
 * @public
 */
export interface ConnectionDirectory {
  post(connectionId: string, data: Buffer): Promise<void>;
  get(connectionId: string): Promise<ConnectionInfo>;
  delete(connectionId: string): Promise<void>;
}

/**
 * The connections one place in this process holds (one emulator): the
 * operations act on its own connections only.
 * @public
 */
export interface ConnectionHolder extends ConnectionDirectory {
  /** Whether this place holds the connection (possibly closing). */
  holds(connectionId: string): boolean;
}

/**
 * The one answer to "where is this connection?": the first holder in this
 * process that holds it, else the connections held elsewhere (another
 * replica), else `GoneException`.
 * @public
 */
export function locateConnections(options: {
  /** Holders in this process, asked in order on every operation. */
  readonly here: () => Iterable<ConnectionHolder>;
  /** Connections held by other replicas, when there are any to ask. */
  readonly elsewhere?: () => ConnectionDirectory | undefined;
}): ConnectionDirectory {
  const find = (connectionId: string): ConnectionDirectory | undefined => {
    for (const holder of options.here()) {
      if (holder.holds(connectionId)) {
        return holder;
      }
    }
    return options.elsewhere?.();
  };
  // Not async, so the holder's own promise is returned as it is (this is on
  // the path of every @connections post); a throw still becomes a rejection.
  const run = <T>(
    connectionId: string,
    operation: (directory: ConnectionDirectory) => Promise<T>,
  ): Promise<T> => {
    try {
      const directory = find(connectionId);
      return directory
        ? operation(directory)
        : Promise.reject(new GoneException(connectionId));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    post: (id, data) => run(id, d => d.post(id, data)),
    get: id => run(id, d => d.get(id)),
    delete: id => run(id, d => d.delete(id)),
  };
}
