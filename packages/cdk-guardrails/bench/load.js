'use strict';

// Loads the package from source (TypeScript) so the benchmark needs no build.
require('@backstage/cli/config/nodeTransform.cjs');

module.exports = require('../src');
