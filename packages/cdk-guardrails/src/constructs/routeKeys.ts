// Shared by the HttpApi construct and the manifest's cross-check (which must
// not load aws-cdk-lib), so both accept the same route keys.

/** HTTP methods an HTTP API route may name. */
export const HTTP_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * An HTTP API route key: a method and a path of segments, where a segment
 * may be a `{parameter}` or, last, a greedy `{proxy+}`. E.g. `POST /jobs`,
 * `GET /jobs/{id}`.
 */
export const HTTP_ROUTE_KEY = new RegExp(
  `^(${HTTP_METHODS.join('|')}) (/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))*(/\\{[A-Za-z_][A-Za-z0-9_]*\\+\\})?)$`,
);

/** What {@link HTTP_ROUTE_KEY} accepts, for messages. */
export const HTTP_ROUTE_KEY_ALLOWED = `"<METHOD> /path" with METHOD one of ${HTTP_METHODS.join(
  ', ',
)} and a path of letters, digits, . _ ~ - and {parameters}, e.g. "POST /jobs"`;
