import { knex as createKnex, Knex } from 'knex';

/**
 * Runs `fn` on a fresh PostgreSQL database (STACKYARD_BENCH_DATABASE_URL or
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), dropped afterwards.
 */
export async function withDatabase<T>(
  fn: (knex: Knex) => Promise<T>,
): Promise<T> {
  const url =
    process.env.STACKYARD_BENCH_DATABASE_URL ??
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url) {
    throw new Error('Set STACKYARD_BENCH_DATABASE_URL to a PostgreSQL server');
  }
  const name = `stackyard_bench_${Date.now()}`;
  const admin = createKnex({ client: 'pg', connection: url });
  await admin.raw('CREATE DATABASE ??', [name]);
  const knex = createKnex({
    client: 'pg',
    // With a connection string, pg ignores a separate `database`.
    connection: withDatabaseName(url, name),
    pool: { min: 2, max: 10 },
  });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
    await admin.raw('DROP DATABASE ??', [name]);
    await admin.destroy();
  }
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
