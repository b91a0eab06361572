'use strict';

// The entry script of a preview's runner process (see src/startPreview.ts).
// It runs under Node's permission model, where native addons (a native
// TypeScript compiler) cannot load. A checkout passes the runner precompiled
// to JavaScript (src/runnerBuild.ts) as the argument; without it, a
// checkout's sources are compiled here by sucrase (plain JavaScript), resolved
// through @backstage/cli, a dev dependency. The published package holds only
// the build (package.json `files`).
const fs = require('fs');
const path = require('path');
const { collectWhenIdle } = require('./collectWhenIdle');

// Read by the C library at start (src/startPreview.ts); not for handlers,
// whose environment starts from the runner's.
delete process.env.MALLOC_ARENA_MAX;

// First, before any handler code could see V8's collector while it is taken.
collectWhenIdle();

const precompiled = process.argv[2];
const sources = path.resolve(__dirname, '../src/runner/runnerMain.ts');
let lib;
if (precompiled) {
  lib = require(precompiled);
} else if (fs.existsSync(sources)) {
  const cli = path.dirname(require.resolve('@backstage/cli/package.json'));
  require(require.resolve('sucrase/dist/register', {
    paths: [cli],
  })).registerTS();
  lib = require(sources);
} else {
  // The runner's module alone: the package's entry would also load what
  // only the backend side needs (and may not read).
  lib = require('../dist/runner/runnerMain.cjs.js');
}

// Here, not in TypeScript: compiled, import() would become require().
lib
  .runPreviewRunner(url => import(url))
  .catch(error => {
    process.stderr.write(
      `preview runner: ${
        error && error.message ? error.message.split('\n')[0] : error
      }\n`,
    );
    process.exit(70);
  });
