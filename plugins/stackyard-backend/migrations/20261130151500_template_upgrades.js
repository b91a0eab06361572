// @ts-check

/**
 * Template upgrades: one row per entity upgrade asked for on the Templates
 * page, with its progress and result (branch, conflicts, tests and policy).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stackyard_template_upgrades', table => {
    table.comment('Upgrades of entities to a newer version of their template');
    table.string('id', 36).primary().notNullable();
    table.string('template_name', 64).notNullable();
    table.string('entity_ref', 255).notNullable().comment('Lower case');
    table.string('from_version', 64).nullable();
    table.string('to_version', 64).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('queued, running, merged, conflicts or failed');
    table.text('progress').notNullable().comment('JSON array of steps');
    table.string('branch', 255).nullable();
    table.text('conflicts').notNullable().comment('JSON array of file paths');
    table.boolean('tests_passed').nullable();
    table.boolean('policy_passed').nullable();
    table.text('pull_request_url').nullable();
    table.text('error').nullable();
    table.string('actor', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['template_name', 'entity_ref', 'created_at'],
      'stackyard_template_upgrades_entity_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_template_upgrades');
};
