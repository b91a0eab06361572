# Starts a throw-away PostgreSQL cluster on 127.0.0.1 and exports POSTGRES_URL.
start_postgres() {
  local bin port dir
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=${POSTGRES_TEST_PORT:-55432}
  dir=$(mktemp -d /tmp/stackyard-pg.XXXXXX)
  chown postgres:postgres "$dir"
  su postgres -s /bin/sh -c "$bin/initdb -D $dir/data -U postgres -A trust >/dev/null"
  su postgres -s /bin/sh -c "$bin/pg_ctl -D $dir/data -l $dir/log -w start \
    -o '-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off'"
  export POSTGRES_URL="postgresql://postgres:postgres@127.0.0.1:$port"
  # Backstage's TestDatabases picks the server up by its major version.
  local major
  major=$("$bin/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$POSTGRES_URL"
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$port POSTGRES_USER=postgres POSTGRES_PASSWORD=postgres
  "$bin/psql" "$POSTGRES_URL/postgres" -Atc 'select version()'
}
