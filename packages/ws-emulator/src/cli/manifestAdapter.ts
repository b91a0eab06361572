/**
 * Reads the `websocket` section of a `stackyard.yaml` service manifest into
 * the CLI's config shape. The documented manifest shape:
 *
 * ```yaml
 * websocket:
 *   routeSelectionExpression: $request.body.action   # optional
 *   stage: dev                                       # optional
 *   routes:                                          # route key → handler
 *     $connect: src/socket.js#connect                # a string is a module handler
 *     sendMessage: { module: src/socket.js#send, response: true }
 *     $default: { lambda: chat-default }             # or any CLI route object
 *   emulator: { port: 3001, logFrames: true }        # optional local settings
 * ```
 *
 * Everything else in the manifest is ignored here.
 */
export function isServiceManifest(document: unknown): boolean {
  return (
    typeof document === 'object' &&
    document !== null &&
    'websocket' in document &&
    !('routes' in document)
  );
}

/** Turns a manifest into an (unvalidated) CLI config. */
export function manifestToCliConfig(
  document: Record<string, unknown>,
): unknown {
  const section = document.websocket;
  if (
    typeof section !== 'object' ||
    section === null ||
    Array.isArray(section)
  ) {
    throw new TypeError(
      'The manifest\'s "websocket" section must be an object',
    );
  }
  const { routes, emulator, ...api } = section as Record<string, unknown>;
  if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) {
    throw new TypeError(
      'The manifest\'s "websocket.routes" must map route keys to handlers',
    );
  }
  const converted: Record<string, unknown> = {};
  for (const [key, handler] of Object.entries(routes)) {
    converted[key] =
      typeof handler === 'string' ? { module: handler } : handler;
  }
  return {
    ...(typeof emulator === 'object' && emulator !== null ? emulator : {}),
    ...api,
    routes: converted,
  };
}
