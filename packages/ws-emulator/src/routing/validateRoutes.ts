import type { RouteDefinition } from '../types';

/** Route keys a message can never select. */
export const SPECIAL_ROUTES: ReadonlySet<string> = new Set([
  '$connect',
  '$disconnect',
  '$default',
]);

/** Throws `TypeError` naming the first invalid route key or route. */
export function validateRoutes(
  routes: Readonly<Record<string, RouteDefinition>>,
): void {
  if (!routes || typeof routes !== 'object') {
    throw new TypeError(
      'routes must be an object mapping route keys to routes',
    );
  }
  for (const [key, route] of Object.entries(routes)) {
    if (
      key.startsWith('$')
        ? !SPECIAL_ROUTES.has(key)
        : key.length === 0 || key.length > 128
    ) {
      throw new TypeError(
        `Invalid route key ${JSON.stringify(
          key,
        )}: use $connect, $disconnect, $default or 1-128 characters not starting with $`,
      );
    }
    if (!route || typeof route.integration?.invoke !== 'function') {
      throw new TypeError(`Route ${JSON.stringify(key)} has no integration`);
    }
  }
}
