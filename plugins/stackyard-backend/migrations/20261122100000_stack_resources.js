// @ts-check

/**
 * The resource list of each environment's stack: recorded from synthesis by
 * the deploy action, or read from CloudFormation and kept as a cache.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stackyard_stack_resources', table => {
    table.comment('The resources of an environment stack, one list per row');
    table
      .string('environment_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table
      .string('source', 16)
      .notNullable()
      .comment('cloudformation or synthesized');
    table
      .text('items')
      .notNullable()
      .comment('JSON array: logicalId, type, physicalId, status, ...');
    table.timestamp('fetched_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_stack_resources');
};
