import type { ServiceManifest } from './schema';

/** A problem found by {@link crossCheck}: the path of the bad key and what is wrong. */
export interface CrossCheckIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Checks what the schema cannot: references between functions, queues,
 * tables and routes, and that code directories and the extension module
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
  for (const [stage, config] of Object.entries(manifest.stages ?? {})) {
    for (const fn of Object.keys(config.functions ?? {})) {
      needFunction(['stages', stage, 'functions', fn], fn);
    }
  }
  return issues;
}
