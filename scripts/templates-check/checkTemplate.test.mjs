// The checker catches each kind of broken template: copies of the shipped
// serverless-service template in a temp dir, broken one way each, checked
// through one real in-process scaffolder.
// Run: node --test scripts/templates-check/
import assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkTemplate } from './checkTemplate.mjs';
import { startPortal } from './portal.mjs';
import { repoRoot, requireTs } from './require.mjs';

let portal;
let root;
before(async () => {
  portal = await startPortal();
  root = mkdtempSync(join(tmpdir(), 'stackyard-check-fixtures-'));
});
after(async () => {
  await portal?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A copy of a shipped template named `name`, changed by `breakIt`. */
async function check(
  name,
  breakIt = () => {},
  template = 'serverless-service',
) {
  const dir = join(root, name);
  cpSync(join(repoRoot, 'templates', template), dir, {
    recursive: true,
  });
  const edit = (file, change) =>
    writeFileSync(
      join(dir, file),
      change(readFileSync(join(dir, file), 'utf8')),
    );
  breakIt({ dir, edit });
  return checkTemplate({ templateDir: dir, portal });
}

test('the shipped template passes every stage', async () => {
  const result = await check('intact');
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.deepEqual(Object.keys(result.timings), [
    'load',
    'render',
    'files',
    'hostile',
    'synth',
    'emulator',
    'tests',
    'upgrade',
  ]);
  // Every kept version upgrades to the current one: 1.0.0 without 1.1.0's
  // question, 1.1.0 with all of its answers.
  assert.equal(result.upgrades.upgraded.length, 2);
  assert.match(
    result.upgrades.upgraded[0],
    /^1\.0\.0 → 1\.2\.0: merged cleanly \(defaults for maxJobAgeMinutes\), policy and tests passed/,
  );
  assert.match(
    result.upgrades.upgraded[1],
    /^1\.1\.0 → 1\.2\.0: merged cleanly, policy and tests passed/,
  );
  assert.equal(
    result.emulator.skipped,
    'stackyard.yaml has no websocket section',
  );
  assert.ok(result.testsPassed >= 2, `ran ${result.testsPassed} tests`);
  // Free text was rendered with every hostile answer; the rest refused.
  assert.ok(result.hostile.rendered >= 15, JSON.stringify(result.hostile));
  assert.ok(result.hostile.refused >= 80, JSON.stringify(result.hostile));
});

test('a template without sample values fails to load', async () => {
  const result = await check('no-values', ({ dir }) =>
    rmSync(join(dir, 'check-values.yaml')),
  );
  assert.equal(result.stage, 'load');
  assert.match(result.problems[0], /check-values\.yaml is missing/);
});

test('a skeleton that does not render fails at render', async () => {
  const result = await check('bad-syntax', ({ dir }) =>
    appendFileSync(join(dir, 'skeleton/README.md'), '\n${{ values.name \n'),
  );
  assert.equal(result.stage, 'render');
  assert.match(result.problems[0], /Unterminated variable tag/);
});

test('an entity without its template version fails the file checks', async () => {
  const result = await check('no-version', ({ edit }) =>
    edit('skeleton/catalog-info.yaml', text =>
      text.replace(/^ +stackyard\.io\/template:.*\n/m, ''),
    ),
  );
  assert.equal(result.stage, 'files');
  assert.match(
    result.problems[0],
    /records template undefined, not "serverless-service@1\.2\.0"/,
  );
});

test('the reported finding: an unquoted, unvalidated system lets a Template document into catalog-info.yaml, and fails at hostile', async () => {
  const result = await check('unquoted-system', ({ edit }) => {
    edit('template.yaml', text =>
      text.replace(/^ +pattern: '\^\(\?:system:.*\n/m, ''),
    );
    edit('skeleton/catalog-info.yaml', text =>
      text.replace(
        'system: ${{ values.system | dump }}',
        'system: ${{ values.system }}',
      ),
    );
  });
  assert.equal(result.stage, 'hostile', result.problems.join('\n'));
  const problems = result.problems[0];
  assert.match(problems, /system is an entity reference without a pattern/);
  assert.match(
    problems,
    /system = a document break and a Template: catalog-info\.yaml holds 2 document\(s\) instead of 1/,
  );
  assert.match(
    problems,
    /system = a newline and a key: catalog-info\.yaml document 1: keys \{"added":\["evil"\]/,
  );
});

test('a free-text answer rendered unquoted into catalog-info.yaml fails at hostile', async () => {
  const result = await check('unquoted-description', ({ edit }) =>
    edit('skeleton/catalog-info.yaml', text =>
      text.replace(
        'description: ${{ values.description | dump }}',
        'description: ${{ values.description }}',
      ),
    ),
  );
  assert.equal(result.stage, 'hostile', result.problems.join('\n'));
  assert.match(
    result.problems[0],
    /description = a document break and a Template: catalog-info\.yaml no longer parses/,
  );
  assert.match(
    result.problems[0],
    /description = a number: catalog-info\.yaml document 1 metadata\."description": 123, expected "123"/,
  );
});

test('an entity-ref field without its pattern fails at hostile, even though its value is quoted', async () => {
  const result = await check('owner-without-pattern', ({ edit }) =>
    edit('template.yaml', text =>
      text.replace(/^ +pattern: '\^\(\?:\(\?:group\|user\):.*\n/m, ''),
    ),
  );
  assert.equal(result.stage, 'hostile', result.problems.join('\n'));
  assert.match(
    result.problems[0],
    /owner is an entity reference without a pattern/,
  );
});

test('a free-text answer in a script must stay inside its string literal', async () => {
  const result = await check('script-breakout', ({ dir }) =>
    writeFileSync(
      join(dir, 'skeleton/functions/intake/about.js'),
      "module.exports = { description: '${{ values.description }}' };\n",
    ),
  );
  assert.equal(result.stage, 'hostile', result.problems.join('\n'));
  assert.match(
    result.problems[0],
    /functions\/intake\/about\.js no longer compiles/,
  );
});

test('an unguarded resource fails the safety policy, even with the checking steps removed', async () => {
  const result = await check('unguarded', ({ dir, edit }) => {
    // Without the synth and deploy steps the dry run checks nothing itself.
    edit('template.yaml', text =>
      text.replace(/ {4}- id: (synth|deploy)\n(?: {6}.*\n)+/g, ''),
    );
    // The rendered repo lives in a temp dir: load aws-cdk-lib by path.
    const cdkLib = JSON.stringify(requireTs.resolve('aws-cdk-lib'));
    writeFileSync(
      join(dir, 'skeleton/infra/unguarded.js'),
      `const { aws_sqs } = require(${cdkLib});\n` +
        "module.exports = service => { new aws_sqs.Queue(service.stack, 'Unguarded'); };\n",
    );
    appendFileSync(
      join(dir, 'skeleton/stackyard.yaml'),
      '\nextension: infra/unguarded.js\n',
    );
  });
  assert.equal(result.stage, 'synth', result.problems.join('\n'));
  assert.match(result.problems[0], /safety policy: \d+ finding\(s\)/);
  assert.match(result.problems[0], /Unguarded/);
});

test('a handler that breaks its own tests fails at tests', async () => {
  const result = await check('failing-tests', ({ dir }) =>
    appendFileSync(
      join(dir, 'skeleton/functions/intake/index.js'),
      "\nmodule.exports.createHandler = () => async () => {\n  throw new Error('broken');\n};\n",
    ),
  );
  assert.equal(result.stage, 'tests', result.problems.join('\n'));
  assert.match(result.problems[0], /generated repository's tests failed/);
});

test('a new question without a default breaks upgrades from the kept 1.0.0 and 1.1.0, and fails at upgrade', async () => {
  const result = await check('new-question', ({ edit }) => {
    edit('template.yaml', text =>
      text
        .replace(
          /^( +)maxJobAgeMinutes:\n/m,
          "$1tier:\n$1  type: string\n$1  enum: [gold, silver]\n$1maxJobAgeMinutes:\n",
        )
        .replace(
          /^( +)maxJobAgeMinutes: \$\{\{ parameters\.maxJobAgeMinutes \}\}\n/m,
          '$&$1tier: ${{ parameters.tier }}\n',
        ),
    );
    edit('check-values.yaml', text => `${text}  tier: gold\n`);
  });
  assert.equal(result.stage, 'upgrade', result.problems.join('\n'));
  for (const from of ['1\\.0\\.0', '1\\.1\\.0']) {
    assert.match(
      result.problems[0],
      new RegExp(
        `${from} → 1\\.2\\.0: The recorded answers do not fit version 1\\.2\\.0 of the template: tier is a new question with no default`,
      ),
    );
  }
});

test('websocket-service: stackyard-ws serves its manifest unchanged, and a subscribe/publish round trip goes through @connections', async () => {
  const result = await check('websocket-intact', () => {}, 'websocket-service');
  assert.deepEqual(result.problems, []);
  const proven = result.emulator.proven.join('\n');
  assert.match(proven, /stackyard-ws --manifest served 4 route\(s\)/);
  assert.match(proven, /\$connect reached connection's deployed handler/);
  assert.match(proven, /exited 0 on SIGINT/);
  assert.match(proven, /delivered \{"channel":"templates-check"/);
  assert.ok(result.timings.emulator < 10_000, `${result.timings.emulator}ms`);
});

test('a function whose handler export does not exist fails at emulator, with the loader message', async () => {
  const result = await check(
    'missing-handler-export',
    ({ edit }) =>
      // The message function (the second) exports no `missing`.
      edit('skeleton/stackyard.yaml', text =>
        text.replace(
          /( {2}message:\n(?: {4}.*\n)*? {4}handler: )index\.handler/,
          '$1index.missing',
        ),
      ),
    'websocket-service',
  );
  assert.equal(result.stage, 'emulator', result.problems.join('\n'));
  assert.match(result.problems[0], /stackyard-ws --manifest did not start/);
  assert.match(
    result.problems[0],
    /websocket\.routes\.\$default: function "message": .*has no function export "missing"/,
  );
});

test('a publish route that reaches the wrong function fails the round trip at emulator', async () => {
  const result = await check(
    'publish-misrouted',
    ({ edit }) =>
      edit('skeleton/stackyard.yaml', text =>
        text.replace(/publish: message/, 'publish: connection'),
      ),
    'websocket-service',
  );
  assert.equal(result.stage, 'emulator', result.problems.join('\n'));
  assert.match(
    result.problems[0],
    /the subscriber did not receive \{"channel":"templates-check".* within 8s/,
  );
});
