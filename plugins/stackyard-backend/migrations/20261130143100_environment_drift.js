// @ts-check

/**
 * Drift checks: a summary of the last check on each environment row (which
 * lists filter and the Infra tab marks), and the per-resource details of the
 * last finished check in their own table (read one environment at a time).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('stackyard_environments', table => {
    table
      .string('drift_status', 16)
      .nullable()
      .comment('in-sync, drifted, checking or failed; null: never checked');
    table
      .timestamp('drift_checked_at', { useTz: true })
      .nullable()
      .comment('When the last check finished, or started while checking');
    table.integer('drifted_resources').nullable();
    table.text('drift_reason').nullable().comment('Why the last check failed');
    table.index(['drift_status'], 'stackyard_environments_drift_status_idx');
  });
  await knex.schema.createTable('stackyard_drift_resources', table => {
    table.comment('Per-resource results of the last drift check of a stack');
    table
      .string('environment_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table
      .text('items')
      .notNullable()
      .comment('JSON array: logicalId, physicalId, type, status, differences');
    table.timestamp('checked_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_drift_resources');
  await knex.schema.alterTable('stackyard_environments', table => {
    table.dropIndex(
      ['drift_status'],
      'stackyard_environments_drift_status_idx',
    );
    table.dropColumn('drift_status');
    table.dropColumn('drift_checked_at');
    table.dropColumn('drifted_resources');
    table.dropColumn('drift_reason');
  });
};
