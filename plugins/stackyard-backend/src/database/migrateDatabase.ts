import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the knex migrations of this plugin live. */
export const migrationsDir = resolvePackagePath(
  '@stackyard/plugin-stackyard-backend',
  'migrations',
);

/** The knex migration settings: our own directory and bookkeeping table. */
export const migrationConfig = {
  directory: migrationsDir,
  tableName: 'stackyard_knex_migrations',
};

/** Applies Stackyard's migrations unless the database service says not to. */
export async function migrateDatabase(
  database: DatabaseService,
  client: Knex,
): Promise<void> {
  if (database.migrations?.skip) {
    return;
  }
  await client.migrate.latest({
    ...migrationConfig,
  });
}
