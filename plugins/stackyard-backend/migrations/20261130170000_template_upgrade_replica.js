// @ts-check

/**
 * Template upgrades record the backend replica that runs them (its preview
 * sockets heartbeat id), so upgrades whose replica stopped can be marked
 * failed instead of staying "running" forever.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('stackyard_template_upgrades', table => {
    table
      .string('replica_id', 36)
      .nullable()
      .comment(
        'The backend replica running it; null: before replicas were recorded',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('stackyard_template_upgrades', table => {
    table.dropColumn('replica_id');
  });
};
