import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A service shaped like the websocket-service template's: functions with
 * code directories and `handler: index.handler`, routes naming functions.
 * `connection` refuses `$connect` when the query has `deny`; `message`
 * answers through `@connections` with the route key and the body, as a
 * deployed handler must (routes are one-way).
 */
export const SERVICE_FILES: Record<string, string> = {
  'functions/connection/index.js': `
exports.handler = async event =>
  event.queryStringParameters && event.queryStringParameters.deny
    ? { statusCode: 403 }
    : { statusCode: 200 };
`,
  'functions/message/index.js': `
exports.handler = async event => {
  const { domainName, stage, connectionId, routeKey } = event.requestContext;
  const res = await fetch(
    'http://' + domainName + '/' + stage + '/@connections/' + encodeURIComponent(connectionId),
    { method: 'POST', body: routeKey + ' ' + event.body },
  );
  if (!res.ok) throw new Error('@connections answered ' + res.status);
  return { statusCode: 200, body: 'not sent: routes are one-way' };
};
`,
};

/** The manifest's head: service and functions. */
export const SERVICE_MANIFEST = `service:
  name: chat
  project: wo
  costCenter: cc-1
  owner: group:default/chat
functions:
  connection:
    handler: index.handler
    code: functions/connection
    timeout: 5
    memorySize: 128
    reservedConcurrency: 10
  message:
    handler: index.handler
    code: functions/message
    timeout: 10
    memorySize: 256
    reservedConcurrency: 10
`;

/** The template's websocket section. */
export const SERVICE_WEBSOCKET = `websocket:
  routeSelectionExpression: $request.body.action
  routes:
    $connect: connection
    $disconnect: connection
    $default: message
    publish: message
`;

/** Writes the service into `dir` with `manifest` as its stackyard.yaml; returns the manifest's path. */
export async function writeService(
  dir: string,
  manifest = SERVICE_MANIFEST + SERVICE_WEBSOCKET,
): Promise<string> {
  for (const [file, text] of Object.entries(SERVICE_FILES)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), text);
  }
  const file = path.join(dir, 'stackyard.yaml');
  await fs.writeFile(file, manifest);
  return file;
}
