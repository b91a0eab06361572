// @ts-check

/**
 * Environments, their operations and their stack events.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stackyard_environments', table => {
    table.comment('One row per stack (or local preview) of a catalog entity');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 255).notNullable().comment('Lower-case ref');
    table.string('target', 63).notNullable().comment('Configured target name');
    table.string('target_type', 16).notNullable().comment('aws or local');
    table.string('account_id', 12).nullable();
    table.string('region', 32).nullable();
    table.string('prefix', 64).notNullable();
    table.string('stage', 32).notNullable();
    table.string('stack_name', 128).notNullable();
    table.text('stack_id').nullable();
    table.string('status', 16).notNullable();
    table.string('stack_status', 64).nullable();
    table.text('status_reason').nullable();
    table.text('outputs').notNullable().comment('JSON object');
    table.text('resources').notNullable().comment('JSON: type -> count');
    table.text('alarms').notNullable().comment('JSON array');
    table.string('template_name', 255).nullable();
    table.string('template_version', 64).nullable();
    table.boolean('protected').notNullable().defaultTo(false);
    table.boolean('termination_protection').notNullable().defaultTo(false);
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('reconciled_at', { useTz: true }).nullable();
    table
      .string('active_operation_id', 36)
      .nullable()
      .comment(
        'Set while an operation runs; claimed with a conditional update',
      );
    table.unique(['target', 'stack_name'], {
      indexName: 'stackyard_environments_target_stack_uniq',
    });
    table.index(
      ['entity_ref', 'created_at', 'id'],
      'stackyard_environments_entity_idx',
    );
    table.index(['created_at', 'id'], 'stackyard_environments_created_idx');
    table.index(['status'], 'stackyard_environments_status_idx');
  });

  await knex.schema.createTable('stackyard_operations', table => {
    table.comment('Deploys and teardowns of environments');
    table.string('id', 36).primary().notNullable();
    table
      .string('environment_id', 36)
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table.string('type', 16).notNullable();
    table.string('state', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.text('error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(
      ['environment_id', 'created_at'],
      'stackyard_operations_env_idx',
    );
    table.index(['state'], 'stackyard_operations_state_idx');
  });

  await knex.schema.createTable('stackyard_events', table => {
    table.comment('CloudFormation stack events, bounded per environment');
    table.bigIncrements('seq').primary();
    table
      .string('environment_id', 36)
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table.string('operation_id', 36).nullable();
    table.string('event_id', 255).notNullable();
    table.timestamp('timestamp', { useTz: true }).notNullable();
    table.string('logical_resource_id', 255).nullable();
    table.string('resource_type', 255).nullable();
    table.string('resource_status', 64).nullable();
    table.text('status_reason').nullable();
    table.unique(['environment_id', 'event_id'], {
      indexName: 'stackyard_events_env_event_uniq',
    });
    table.index(
      ['environment_id', 'timestamp'],
      'stackyard_events_env_time_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_events');
  await knex.schema.dropTable('stackyard_operations');
  await knex.schema.dropTable('stackyard_environments');
};
