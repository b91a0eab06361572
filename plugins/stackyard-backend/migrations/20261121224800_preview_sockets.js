// @ts-check

/**
 * Preview sockets: the WebSocket API recorded for an environment, and which
 * replica holds each open connection.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stackyard_socket_apis', table => {
    table.comment('The hosted WebSocket API of an environment');
    table
      .string('environment_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table
      .text('definition')
      .notNullable()
      .comment('JSON: routeSelectionExpression and routes');
    table
      .string('connection_key_hash', 64)
      .nullable()
      .comment('SHA-256 (hex) of the connection key; the key is never stored');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('stackyard_socket_connections', table => {
    table.comment('Open connections of hosted WebSocket APIs, by replica');
    table.string('connection_id', 128).primary().notNullable();
    table
      .string('environment_id', 36)
      .notNullable()
      .references('id')
      .inTable('stackyard_environments')
      .onDelete('CASCADE');
    table.string('replica_id', 36).notNullable();
    table.timestamp('connected_at', { useTz: true }).notNullable();
    table.string('source_ip', 64).nullable();
    table.text('user_agent').nullable();
    table.index(['environment_id'], 'stackyard_socket_connections_env_idx');
    table.index(['replica_id'], 'stackyard_socket_connections_replica_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('stackyard_socket_connections');
  await knex.schema.dropTable('stackyard_socket_apis');
};
