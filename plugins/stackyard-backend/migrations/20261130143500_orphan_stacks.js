// @ts-check

/**
 * Orphan stacks and the platform view: stacks with Stackyard tags that no
 * catalog entity owns (refreshed by every reconcile cycle), and on each
 * environment its cost center and since when its entity is missing from the
 * catalog.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('stackyard_environments', table => {
    table
      .string('cost_center', 256)
      .nullable()
      .comment("The stack's CostCenter tag, or the registration's");
    table
      .timestamp('entity_missing_since', { useTz: true })
      .nullable()
      .comment('Set while the catalog has no entity entity_ref names');
    table.index(['cost_center'], 'stackyard_environments_cost_center_idx');
    table.index(['template_name'], 'stackyard_environments_template_idx');
  });
  await knex.schema.createTable('stackyard_orphan_stacks', table => {
    table.comment(
      'Stacks with Stackyard tags that no catalog entity owns; replaced each reconcile cycle',
    );
    table.string('id', 36).primary().notNullable();
    table
      .string('kind', 32)
      .notNullable()
      .comment('missing-entity or unreadable-tags');
    table.string('target', 63).notNullable();
    table.string('account_id', 12).nullable();
    table.string('region', 32).nullable();
    table.string('stack_name', 128).notNullable();
    table.text('stack_id').nullable();
    table.string('stack_status', 64).nullable();
    table.text('reason').notNullable();
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('What the stack names as its entity, when readable');
    table
      .string('environment_id', 36)
      .nullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table
      .string('stage', 128)
      .nullable()
      .comment('The stage its tags or name say, judged for protection');
    table.boolean('termination_protection').notNullable().defaultTo(false);
    table.boolean('protected').notNullable().defaultTo(false);
    table.text('protection_reason').nullable();
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('seen_at', { useTz: true }).notNullable();
    table.unique(['target', 'stack_name'], {
      indexName: 'stackyard_orphan_stacks_target_stack_uniq',
    });
    table.index(['first_seen_at', 'id'], 'stackyard_orphan_stacks_seen_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_orphan_stacks');
  await knex.schema.alterTable('stackyard_environments', table => {
    table.dropIndex(['cost_center'], 'stackyard_environments_cost_center_idx');
    table.dropIndex(['template_name'], 'stackyard_environments_template_idx');
    table.dropColumn('cost_center');
    table.dropColumn('entity_missing_since');
  });
};
