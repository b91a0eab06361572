'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { applyArgs, migrationFiles, pendingMigrations, psqlEnv } = require('../src/migrate');

test("the repository's migrations are well named and in order", () => {
  const files = migrationFiles(fs.readdirSync(path.join(__dirname, '..', 'migrations')));
  assert.ok(files.length > 0);
  assert.deepEqual(files, [...files].sort());
});

test('only migrations not yet recorded are applied, in order', () => {
  const files = migrationFiles(['002_b.sql', 'README.md', '001_a.sql', '010_c.sql']);
  assert.deepEqual(files, ['001_a.sql', '002_b.sql', '010_c.sql']);
  assert.deepEqual(pendingMigrations(files, ['001_a.sql']), ['002_b.sql', '010_c.sql']);
});

test('bad names and repeated numbers are refused before anything runs', () => {
  assert.throws(() => migrationFiles(["001_x'; drop table t; --.sql"]), /NNN_lowercase_words/);
  assert.throws(() => migrationFiles(['001_a.sql', '001_b.sql']), /two migrations numbered 001/);
  assert.throws(() => applyArgs('/m', 'x.sql'), /not a migration file/);
});

test('a file and its record run in one transaction, with credentials from the environment', () => {
  assert.deepEqual(applyArgs('/m', '001_a.sql'), [
    '--single-transaction',
    '-f',
    path.join('/m', '001_a.sql'),
    '-c',
    "INSERT INTO schema_migrations (name) VALUES ('001_a.sql')",
  ]);
  const env = psqlEnv({
    PATH: '/bin',
    DATABASE_MAIN_HOST: 'db',
    DATABASE_MAIN_NAME: 'app',
    DATABASE_MAIN_USERNAME: 'u',
    DATABASE_MAIN_PASSWORD: 'p',
  });
  assert.equal(env.PGSSLMODE, 'require');
  assert.equal(env.PGPORT, '5432');
  assert.throws(() => psqlEnv({}), /DATABASE_MAIN_HOST is not set/);
});
