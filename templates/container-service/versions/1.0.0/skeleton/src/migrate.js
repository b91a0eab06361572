'use strict';

// Applies migrations/NNN_name.sql in order, each once, with psql (in the
// image): CI runs it as a one-off ECS task of the worker's task definition
// (`node src/migrate.js`) after each deploy, before the services are
// redeployed. Each file and its record in schema_migrations commit in one
// transaction, so a failing file leaves nothing half-applied.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/** The migration files of a directory listing, in order; refuses a bad name or a repeated number. */
function migrationFiles(names) {
  const files = names.filter(n => n.endsWith('.sql')).sort();
  const seen = new Set();
  for (const name of files) {
    const match = MIGRATION_FILE.exec(name);
    if (!match) {
      throw new Error(`${JSON.stringify(name)}: migration files are named NNN_lowercase_words.sql`);
    }
    if (seen.has(match[1])) throw new Error(`two migrations numbered ${match[1]}`);
    seen.add(match[1]);
  }
  return files;
}

/** The files still to apply, given the names already recorded. */
function pendingMigrations(files, applied) {
  const done = new Set(applied);
  return files.filter(f => !done.has(f));
}

/** psql's connection settings from the container's environment (credentials from Secrets Manager). */
function psqlEnv(env) {
  for (const key of ['DATABASE_MAIN_HOST', 'DATABASE_MAIN_NAME', 'DATABASE_MAIN_USERNAME', 'DATABASE_MAIN_PASSWORD']) {
    if (!env[key]) throw new Error(`${key} is not set`);
  }
  return {
    PATH: env.PATH,
    PGHOST: env.DATABASE_MAIN_HOST,
    PGPORT: env.DATABASE_MAIN_PORT || '5432',
    PGDATABASE: env.DATABASE_MAIN_NAME,
    PGUSER: env.DATABASE_MAIN_USERNAME,
    PGPASSWORD: env.DATABASE_MAIN_PASSWORD,
    PGSSLMODE: 'require',
  };
}

/** psql's arguments (after the common ones) to apply one file and record it, in one transaction. */
function applyArgs(dir, file) {
  // The name matched MIGRATION_FILE (digits, letters, underscores), so it is safe in SQL.
  if (!MIGRATION_FILE.test(file)) throw new Error(`not a migration file: ${JSON.stringify(file)}`);
  return [
    '--single-transaction',
    '-f', path.join(dir, file),
    '-c', `INSERT INTO schema_migrations (name) VALUES ('${file}')`,
  ];
}

const CREATE_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())';

function psql(args, env) {
  const result = spawnSync('psql', ['--no-psqlrc', '-v', 'ON_ERROR_STOP=1', ...args], {
    env,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`psql exited with ${result.status}: ${result.stderr.trim()}`);
  return result.stdout;
}

function migrate(dir, env) {
  const files = migrationFiles(fs.readdirSync(dir));
  psql(['-c', CREATE_TABLE], env);
  const applied = psql(['-At', '-c', 'SELECT name FROM schema_migrations'], env).split('\n').filter(Boolean);
  const pending = pendingMigrations(files, applied);
  for (const file of pending) {
    console.log(`applying ${file}`);
    psql(applyArgs(dir, file), env);
  }
  console.log(`${pending.length} migration(s) applied, ${files.length - pending.length} already there`);
}

if (require.main === module) {
  try {
    migrate(path.resolve(__dirname, '..', 'migrations'), psqlEnv(process.env));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}

module.exports = { applyArgs, migrationFiles, pendingMigrations, psqlEnv };
