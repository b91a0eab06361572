import { validateStage } from '@stackyard/plugin-stackyard-common';
import { idSchema } from '../service/validation';

/** A path below `<mount path>/sockets`, split into its parts. */
export type SocketPath = {
  /** The environment id, lower case (ids match case-insensitively). */
  environmentId: string;
  /** The stage segment, exactly as given (stages are case-sensitive). */
  stage: string;
  /** What follows the stage: `''`, `'/'`, or e.g. `'/@connections/abc'`. */
  rest: string;
};

const SHAPE = /^\/([^/]+)\/([^/]+)(\/.*)?$/;

/**
 * Parses the path of a hosted WebSocket API below `<mount path>/sockets`
 * (query string removed): `/<environment id>/<stage>` for upgrades,
 * `/<environment id>/<stage>/@connections/<connection id>` for management
 * calls. The stage segment is required. Undefined when the path is not of
 * that shape; the same rule serves REST, `@connections` and upgrades.
 */
export function parseSocketPath(path: string): SocketPath | undefined {
  const match = SHAPE.exec(path);
  if (!match) return undefined;
  const id = idSchema.safeParse(match[1]);
  if (!id.success || validateStage(match[2]).length > 0) return undefined;
  return { environmentId: id.data, stage: match[2], rest: match[3] ?? '' };
}

/** Whether a parsed path is one an upgrade may use: nothing after the stage but an optional `/`. */
export function isUpgradePath(path: SocketPath): boolean {
  return path.rest === '' || path.rest === '/';
}

/**
 * `url` (a full request URL starting with `socketsPrefix`, e.g.
 * `/api/stackyard/sockets`) with its environment id in lower case, as the
 * hosted API's base path has it; `url` itself when it is not a socket path.
 */
export function canonicalSocketUrl(url: string, socketsPrefix: string): string {
  const [path, ...query] = url.split('?');
  if (!path.startsWith(`${socketsPrefix}/`)) return url;
  const parsed = parseSocketPath(path.slice(socketsPrefix.length));
  if (!parsed) return url;
  const canonical = `${socketsPrefix}/${parsed.environmentId}/${parsed.stage}${parsed.rest}`;
  return [canonical, ...query].join('?');
}
