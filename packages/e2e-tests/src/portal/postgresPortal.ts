/**
 * Where globalSetup tells the specs about the second portal backend, the one
 * on PostgreSQL (see startPostgresPortal.ts). Unset when no PostgreSQL is
 * configured.
 */
export const postgresPortalVariables = {
  /** Its base URL; it serves the same built frontend. */
  baseUrl: 'STACKYARD_E2E_POSTGRES_BASE_URL',
  /** Its `stackyard.scaffolder.localPublishDirectory`. */
  publishDirectory: 'STACKYARD_E2E_POSTGRES_PUBLISH_DIRECTORY',
  /** The loopback AWS endpoint of its `e2e-aws` target. */
  awsEndpoint: 'STACKYARD_E2E_POSTGRES_AWS_ENDPOINT',
} as const;
