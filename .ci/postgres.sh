# Starts a throw-away PostgreSQL cluster on 127.0.0.1 and exports POSTGRES_URL;
# stop_postgres stops it and removes its files.
start_postgres() {
  local bin port dir
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=${POSTGRES_TEST_PORT:-55432}
  dir=$(mktemp -d /tmp/stackyard-pg.XXXXXX)
  chown postgres:postgres "$dir"
  su postgres -s /bin/sh -c "$bin/initdb -D $dir/data -U postgres -A trust >/dev/null"
  if ! su postgres -s /bin/sh -c "$bin/pg_ctl -D $dir/data -l $dir/log -w start \
    -o '-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off'"; then
    cat "$dir/log" >&2
    return 1
  fi
  POSTGRES_CTL="$bin/pg_ctl" POSTGRES_DIR="$dir"
  export POSTGRES_URL="postgresql://postgres:postgres@127.0.0.1:$port"
  # Backstage's TestDatabases picks the server up by its major version.
  local major
  major=$("$bin/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$POSTGRES_URL"
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$port POSTGRES_USER=postgres POSTGRES_PASSWORD=postgres
  "$bin/psql" "$POSTGRES_URL/postgres" -Atc 'select version()'
}

stop_postgres() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  su postgres -s /bin/sh -c "$POSTGRES_CTL -D $POSTGRES_DIR/data -m fast stop" >/dev/null || true
  rm -rf "$POSTGRES_DIR"
}
