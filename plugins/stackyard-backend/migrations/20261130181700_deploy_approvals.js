// @ts-check

/**
 * Reviewed approvals: the last approval request of each environment's
 * deploy — the change set kept for review, its diff as JSON, who started
 * the deploy (never its approver), and the decision.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // `awaiting-approval` is longer than the statuses before it.
  await knex.schema.alterTable('stackyard_environments', table => {
    table.string('status', 32).notNullable().alter();
  });
  await knex.schema.createTable('stackyard_approvals', table => {
    table.comment('The last approval request of each environment');
    table
      .string('environment_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table
      .string('state', 16)
      .notNullable()
      .comment('pending, approved, rejected or stale');
    table.string('change_set_name', 128).notNullable();
    table.text('change_set_id').notNullable().comment('The change set ARN');
    table.timestamp('change_set_created_at', { useTz: true }).notNullable();
    table
      .text('diff')
      .notNullable()
      .comment(
        'JSON: iamStatements, managedPolicies, securityGroupRules, replacedResources',
      );
    table
      .string('requested_by', 255)
      .notNullable()
      .comment('Who started the deploy');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('comment').nullable();
    table
      .text('reason')
      .nullable()
      .comment('Why a stale change set was refused');
    table
      .string('operation_id', 36)
      .nullable()
      .comment('The operation executing an approved change set');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_approvals');
  await knex('stackyard_environments')
    .where({ status: 'awaiting-approval' })
    .update({ status: 'ready' });
  await knex.schema.alterTable('stackyard_environments', table => {
    table.string('status', 16).notNullable().alter();
  });
};
