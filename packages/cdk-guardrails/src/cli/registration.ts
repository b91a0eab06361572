import {
  RegisterDeploymentRequest,
  StackyardApiError,
  StackyardClient,
} from '@stackyard/plugin-stackyard-common';

/** How long registration may take before it counts as failed. */
export const REGISTRATION_TIMEOUT_MS = 30_000;

/** The outcome of {@link registerDeployment}. */
export type RegistrationOutcome =
  | {
      status: 'registered';
      environmentId: string;
    }
  | {
      status: 'failed';
      /** The HTTP status the portal answered with; absent when it did not answer. */
      httpStatus?: number;
      message: string;
    };

/** Says what to do about a refused registration, by HTTP status. */
function hintFor(status: number | undefined): string {
  switch (status) {
    case 401:
      return 'STACKYARD_TOKEN was not accepted: check it against backend.auth.externalAccess of the portal (a static token, or the audience and issuer of the CI OIDC token)';
    case 403:
      return 'the token is accepted, but may not register deployments: check the accessRestrictions of its externalAccess entry (plugin stackyard)';
    case 400:
    case 409:
      return 'the portal refused the deployment as sent';
    default:
      return status === undefined
        ? 'the portal could not be reached at STACKYARD_PORTAL_URL'
        : 'the portal failed to record it';
  }
}

/**
 * Registers a finished deployment with the portal's stackyard backend
 * (`POST <portal>/api/stackyard/environments`) as a backend caller with a
 * Backstage external-access token. Never throws: a failure is an outcome,
 * since the deploy it describes has already succeeded.
 */
export async function registerDeployment(options: {
  /** The portal's base URL, e.g. https://portal.example.com. */
  portalUrl: string;
  token: string;
  request: RegisterDeploymentRequest;
  fetchFn?: typeof fetch;
}): Promise<RegistrationOutcome> {
  let base: string;
  try {
    base = new URL('api/stackyard', `${options.portalUrl.replace(/\/+$/, '')}/`)
      .href;
  } catch {
    return {
      status: 'failed',
      message: `STACKYARD_PORTAL_URL ${JSON.stringify(
        options.portalUrl.slice(0, 200),
      )} is not a URL`,
    };
  }
  const fetchFn = options.fetchFn ?? fetch;
  const client = new StackyardClient({
    discoveryApi: { getBaseUrl: async () => base },
    fetchApi: {
      fetch: (input, init) =>
        fetchFn(input, {
          ...init,
          signal: AbortSignal.timeout(REGISTRATION_TIMEOUT_MS),
        }),
    },
  });
  try {
    const { environment } = await client.registerDeployment(options.request, {
      token: options.token,
    });
    return { status: 'registered', environmentId: environment.id };
  } catch (e) {
    if (e instanceof StackyardApiError) {
      return {
        status: 'failed',
        httpStatus: e.status,
        message: `${e.status} ${e.message} (${hintFor(e.status)})`,
      };
    }
    if (e instanceof SyntaxError) {
      return {
        status: 'failed',
        message: `the answer from ${base} is not JSON (is STACKYARD_PORTAL_URL the portal's base URL?)`,
      };
    }
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return {
      status: 'failed',
      message: `${(e as Error).message}${cause ? `: ${cause}` : ''} (${hintFor(
        undefined,
      )})`,
    };
  }
}
