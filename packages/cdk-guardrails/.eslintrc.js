module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Constructs are created for their side effect on the construct tree.
    'no-new': 'off',
    'jest/expect-expect': [
      'warn',
      {
        assertFunctionNames: [
          'expect',
          '*.hasResource',
          '*.hasResourceProperties',
          '*.resourceCountIs',
        ],
      },
    ],
  },
});
