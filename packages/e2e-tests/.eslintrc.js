// These tests run from source next to the repository, never from a build, so
// `__dirname` is the reliable way to find the repository's files.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: { 'no-restricted-syntax': 'off' },
});
