import { baseUrl as sqliteBaseUrl } from './paths';
import { postgresPortalVariables } from './postgresPortal';

/** A portal backend a browser test runs on: its URL, database and publish directory. */
export interface Portal {
  database: 'SQLite' | 'PostgreSQL';
  /** A short tag for names and screenshots: `s` or `p`. */
  tag: string;
  baseUrl: string;
  /** Its `stackyard.scaffolder.localPublishDirectory`. */
  publishDirectory: string;
}

/**
 * The embedded SQLite portal, and the PostgreSQL one when globalSetup
 * started it (PostgreSQL configured); says so when it did not.
 */
export function portals(suite: string): Portal[] {
  const all: Portal[] = [
    {
      database: 'SQLite',
      tag: 's',
      baseUrl: sqliteBaseUrl,
      publishDirectory:
        process.env.APP_CONFIG_stackyard_scaffolder_localPublishDirectory!,
    },
  ];
  const postgresBaseUrl = process.env[postgresPortalVariables.baseUrl];
  if (postgresBaseUrl) {
    all.push({
      database: 'PostgreSQL',
      tag: 'p',
      baseUrl: postgresBaseUrl,
      publishDirectory: process.env[postgresPortalVariables.publishDirectory]!,
    });
  } else {
    console.warn(
      `${suite} is not tested on PostgreSQL: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING`,
    );
  }
  return all;
}
