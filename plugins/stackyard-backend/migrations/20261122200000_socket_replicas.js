// @ts-check

/**
 * Preview sockets: a heartbeat per backend replica, so the connection rows
 * of a replica that stopped without cleaning up (a crash) can be expired.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stackyard_socket_replicas', table => {
    table.comment(
      'Backend replicas hosting preview sockets, by last heartbeat',
    );
    table.string('replica_id', 36).primary().notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_socket_replicas');
};
