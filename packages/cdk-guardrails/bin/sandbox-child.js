'use strict';

// The entry script of a sandbox process (see src/sandbox/SandboxPool.ts). It
// runs under Node's permission model: native addons cannot load, so from
// source TypeScript is compiled by sucrase (plain JavaScript), resolved
// through @backstage/cli, a dev dependency.
const fs = require('fs');
const path = require('path');

const built = path.resolve(__dirname, '../dist/index.cjs.js');
let lib;
if (fs.existsSync(built)) {
  lib = require(built);
} else {
  const cli = path.dirname(require.resolve('@backstage/cli/package.json'));
  require(require.resolve('sucrase/dist/register', {
    paths: [cli],
  })).registerTS();
  lib = require('../src/sandbox/child.ts');
}

lib.runSandboxChild().catch(error => {
  process.stderr.write(
    `sandbox: ${
      error && error.message ? error.message.split('\n')[0] : error
    }\n`,
  );
  process.exit(70);
});
