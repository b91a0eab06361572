import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@stackyard/plugin-stackyard-backend',
  'migrations',
);

/** Applies Stackyard's migrations unless the database service says not to. */
export async function migrateDatabase(
  database: DatabaseService,
  client: Knex,
): Promise<void> {
  if (database.migrations?.skip) {
    return;
  }
  await client.migrate.latest({
    directory: migrationsDir,
    tableName: 'stackyard_knex_migrations',
  });
}
