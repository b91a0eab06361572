// Fails when the service's settings were lost.
const fs = require('fs');

if (!/^owner: /m.test(fs.readFileSync('settings.yaml', 'utf8')))
  process.exit(1);
