import { HTTP_ROUTE_KEY, HTTP_ROUTE_KEY_ALLOWED } from '../constructs/routeKeys';
import type { ServiceManifest } from './schema';

/** A problem found by {@link crossCheck}: the path of the bad key and what is wrong. */
export interface CrossCheckIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Checks what the schema cannot: references between functions, queues,
 * tables, routes, containers, databases and caches, HTTP route keys, at most
 * one public container, and that code directories and the extension module
 * stay inside the app.
 */
export function crossCheck(manifest: ServiceManifest): CrossCheckIssue[] {
  const issues: CrossCheckIssue[] = [];
  const functions = new Set(Object.keys(manifest.functions ?? {}));
  const needFunction = (path: (string | number)[], value: string) => {
    if (!functions.has(value)) {
      issues.push({
        path,
        message: `unknown function ${JSON.stringify(value)}: declare it under functions (known: ${
          [...functions].join(', ') || 'none'
        })`,
      });
    }
  };
  const needInsideApp = (path: (string | number)[], what: string, value: string) => {
    const parts = value.split(/[\\/]/);
    if (value.startsWith('/') || /^[A-Za-z]:/.test(value) || parts.includes('..')) {
      issues.push({
        path,
        message: `${what} ${JSON.stringify(value)} must be a relative path inside the app directory`,
      });
    }
  };
  for (const [id, fn] of Object.entries(manifest.functions ?? {})) {
    if (fn.code !== undefined) {
      needInsideApp(['functions', id, 'code'], 'code', fn.code);
    }
  }
  if (manifest.extension !== undefined) {
    needInsideApp(['extension'], 'extension', manifest.extension);
  }
  for (const [id, queue] of Object.entries(manifest.queues ?? {})) {
    if (queue.consumer) needFunction(['queues', id, 'consumer'], queue.consumer);
    (queue.senders ?? []).forEach((s, i) => needFunction(['queues', id, 'senders', i], s));
  }
  for (const [id, table] of Object.entries(manifest.tables ?? {})) {
    (table.readers ?? []).forEach((s, i) => needFunction(['tables', id, 'readers', i], s));
    (table.writers ?? []).forEach((s, i) => needFunction(['tables', id, 'writers', i], s));
  }
  for (const [route, fn] of Object.entries(manifest.websocket?.routes ?? {})) {
    needFunction(['websocket', 'routes', route], fn);
  }
  for (const [route, fn] of Object.entries(manifest.http?.routes ?? {})) {
    if (!HTTP_ROUTE_KEY.test(route)) {
      issues.push({
        path: ['http', 'routes', route],
        message: `route ${JSON.stringify(route)} is not allowed: use ${HTTP_ROUTE_KEY_ALLOWED}`,
      });
    }
    needFunction(['http', 'routes', route], fn);
  }
  const need = (kind: 'databases' | 'caches') => {
    const known = Object.keys(manifest[kind] ?? {});
    return (path: (string | number)[], value: string) => {
      if (!known.includes(value)) {
        issues.push({
          path,
          message: `unknown ${kind === 'databases' ? 'database' : 'cache'} ${JSON.stringify(
            value,
          )}: declare it under ${kind} (known: ${known.join(', ') || 'none'})`,
        });
      }
    };
  };
  const needDatabase = need('databases');
  const needCache = need('caches');
  const publicContainers: string[] = [];
  for (const [id, container] of Object.entries(manifest.containers ?? {})) {
    (container.databases ?? []).forEach((d, i) => needDatabase(['containers', id, 'databases', i], d));
    (container.caches ?? []).forEach((c, i) => needCache(['containers', id, 'caches', i], c));
    if (container.public) {
      publicContainers.push(id);
    } else {
      for (const key of ['port', 'healthCheckPath', 'certificateArn'] as const) {
        if (container[key] !== undefined) {
          issues.push({
            path: ['containers', id, key],
            message: `${key} ${JSON.stringify(container[key])} is only for a public container (behind the load balancer): set public: true or remove it`,
          });
        }
      }
    }
    if (container.autoscaling?.maxCount !== undefined && container.desiredCount !== undefined &&
        container.autoscaling.maxCount < container.desiredCount) {
      issues.push({
        path: ['containers', id, 'autoscaling', 'maxCount'],
        message: `maxCount ${container.autoscaling.maxCount} is below desiredCount ${container.desiredCount}`,
      });
    }
  }
  if (publicContainers.length > 1) {
    issues.push({
      path: ['containers', publicContainers[1], 'public'],
      message: `only one container can be public (behind the load balancer): ${publicContainers
        .map(c => JSON.stringify(c))
        .join(' and ')} both are`,
    });
  }
  for (const [stage, config] of Object.entries(manifest.stages ?? {})) {
    for (const fn of Object.keys(config.functions ?? {})) {
      needFunction(['stages', stage, 'functions', fn], fn);
    }
    for (const c of Object.keys(config.containers ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(manifest.containers ?? {}, c)) {
        issues.push({
          path: ['stages', stage, 'containers', c],
          message: `unknown container ${JSON.stringify(c)}: declare it under containers (known: ${
            Object.keys(manifest.containers ?? {}).join(', ') || 'none'
          })`,
        });
      }
    }
  }
  return issues;
}
