// @ts-check

/**
 * Cost: the last estimate of each entity's stage on a target (priced by a
 * deploy), and the last Cost Explorer refresh of each AWS account (daily
 * cost per stack over the refresh's window, as JSON).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stackyard_cost_estimates', table => {
    table.comment('Estimated monthly fixed cost of the last deploy of a stage');
    table.string('entity_ref', 255).notNullable();
    table.string('target', 64).notNullable();
    table.string('stage', 64).notNullable();
    table.text('estimate').notNullable().comment('JSON CostEstimate');
    table.timestamp('estimated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'target', 'stage']);
  });
  await knex.schema.createTable('stackyard_cost_reports', table => {
    table.comment('The last Cost Explorer refresh of an AWS account');
    table.string('account_id', 12).primary().notNullable();
    table.string('state', 16).notNullable().comment('ok, throttled or failed');
    table.text('message').nullable();
    table
      .timestamp('refreshed_at', { useTz: true })
      .nullable()
      .comment('The last refresh that read Cost Explorer');
    table.timestamp('attempted_at', { useTz: true }).notNullable();
    table.string('start_date', 10).nullable().comment('First day of `stacks`');
    table
      .text('stacks')
      .nullable()
      .comment('JSON: "<prefix>|<stage>" to daily USD amounts from start_date');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_cost_reports');
  await knex.schema.dropTable('stackyard_cost_estimates');
};
