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
  const find = (connectionId: string): ConnectionDirectory => {
    for (const holder of options.here()) {
      if (holder.holds(connectionId)) {
        return holder;
      }
    }
    const elsewhere = options.elsewhere?.();
    if (elsewhere) {
      return elsewhere;
    }
    throw new GoneException(connectionId);
  };
  return {
    post: async (id, data) => find(id).post(id, data),
    get: async id => find(id).get(id),
    delete: async id => find(id).delete(id),
  };
}
