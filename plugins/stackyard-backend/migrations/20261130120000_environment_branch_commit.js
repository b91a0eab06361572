// @ts-check

/**
 * The git branch and commit of an environment, as its stack's
 * `stackyard:branch` / `stackyard:commit` tags say (discovery).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('stackyard_environments', table => {
    table.string('branch', 256).nullable().comment('Git branch deployed');
    table.string('commit', 256).nullable().comment('Git commit deployed');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('stackyard_environments', table => {
    table.dropColumn('branch');
    table.dropColumn('commit');
  });
};
