// The hostile-answer checks on their own: what counts as a changed shape,
// and that the shipped templates' entity-ref patterns accept exactly what
// Backstage accepts as an entity ref. Pure functions, no scaffolder.
// Run: node --test scripts/templates-check/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import {
  answerFields,
  hostileAnswers,
  parseData,
  renderOnly,
  schemaAccepts,
  shapeProblems,
} from './hostile.mjs';
import { repoRoot, requireTs } from './require.mjs';

const { KubernetesValidatorFunctions: k8s, parseEntityRef } = requireTs(
  '@backstage/catalog-model',
);

const marker = 'stackyard-marker-q';
// The answer lands last, as in a template's catalog-info.yaml.
const catalogInfo = value =>
  `kind: Component\nmetadata:\n  name: svc\nspec:\n  owner: group:default/team\n  system: ${value}\n`;

test('a JSON-quoted answer keeps every YAML file its shape and round-trips', () => {
  for (const [label, value] of hostileAnswers()) {
    const problems = shapeProblems(
      'catalog-info.yaml',
      catalogInfo(JSON.stringify(marker)),
      catalogInfo(JSON.stringify(value)),
      { marker, value },
    );
    assert.deepEqual(problems, [], label);
  }
});

test('an unquoted answer is caught: documents, keys, types and lost characters', () => {
  const check = value =>
    shapeProblems(
      'catalog-info.yaml',
      catalogInfo(marker),
      catalogInfo(value),
      {
        marker,
        value,
      },
    ).join('\n');
  const [[, template]] = hostileAnswers();
  assert.match(check(template), /holds 2 document\(s\) instead of 1/);
  assert.match(check('x\nevil: true'), /keys \{"added":\["evil"\]/);
  assert.match(check('true'), /"system": true, expected "true"/);
  assert.match(check('  spaced  '), /"spaced", expected " {2}spaced {2}"/);
  assert.match(check('- a: b'), /no longer parses/);
});

test('JSON files must stay JSON', () => {
  const pkg = value => `{\n  "name": ${value},\n  "private": true\n}\n`;
  const value = 'x", "scripts": {"test": "evil"}, "y": "';
  assert.deepEqual(
    shapeProblems(
      'package.json',
      pkg(`"${marker}"`),
      pkg(JSON.stringify(value)),
      {
        marker,
        value,
      },
    ),
    [],
  );
  assert.match(
    shapeProblems('package.json', pkg(`"${marker}"`), pkg(`"${value}"`), {
      marker,
      value,
    }).join('\n'),
    /keys \{"added":\["scripts\.\\"test\\"","y"\]/,
  );
});

test('text files keep their lines and markup, scripts keep compiling', () => {
  const value = 'x\n# Heading <script>';
  assert.match(
    shapeProblems('README.md', `# svc\n\n${marker}\n`, `# svc\n\n${value}\n`, {
      marker,
      value,
    }).join('\n'),
    /README\.md has 5 lines instead of 4\n.*gained markup: <script>/,
  );
  const js = v => `module.exports = { description: ${v} };\n`;
  const breakout = "'; require('child_process'); '\u2028";
  assert.deepEqual(
    shapeProblems(
      'config.js',
      js(`'${marker}'`),
      js(JSON.stringify(breakout)),
      {
        marker,
        value: breakout,
      },
    ),
    [],
  );
  assert.match(
    shapeProblems('config.js', js(`'${marker}'`), js(`'${breakout}\\'`), {
      marker,
      value: breakout,
    }).join('\n'),
    /config\.js no longer compiles/,
  );
});

test('the hostile answers include a Template document and fit the field', () => {
  const answers = hostileAnswers({ maxLength: 200 });
  const [, template] = answers[0];
  assert.equal(parseData('x.yaml', `a: ${template}`).length, 2);
  assert.ok(answers.some(([, v]) => v.length === 300));
  assert.ok(answers.some(([, v]) => v.length === 200 && v.includes('\n---\n')));
});

const readYaml = (...path) =>
  parse(readFileSync(join(repoRoot, 'templates', ...path), 'utf8'));
const templates = ['serverless-service', 'websocket-service', 'container-service'].map(name => ({
  ...readYaml(name, 'template.yaml'),
  values: readYaml(name, 'check-values.yaml').values,
}));

test('renderOnly keeps only the fetch steps', () => {
  for (const template of templates) {
    const actions = renderOnly(template).spec.steps.map(s => s.action);
    assert.deepEqual(actions, ['fetch:template']);
  }
});

/** What Backstage itself accepts as a ref of one of `kinds`. */
function isEntityRef(value, kinds) {
  try {
    const ref = parseEntityRef(value, { defaultKind: kinds[0] });
    return (
      kinds.includes(ref.kind) &&
      k8s.isValidNamespace(ref.namespace) &&
      k8s.isValidObjectName(ref.name)
    );
  } catch {
    return false;
  }
}

test("every shipped template's entity-ref fields have a pattern that accepts exactly Backstage's entity refs", () => {
  const candidates = [
    'group:default/platform-team',
    'user:default/guest',
    'system:default/work-orders',
    'system:work-orders',
    'platform-team',
    'default/platform-team',
    'group:other-ns/team.a_b',
    `group:default/${'a'.repeat(63)}`,
    `group:default/${'a'.repeat(64)}`,
    'group:default/-team',
    'group:default/team-',
    'group:Default/team',
    'component:default/x',
    'group:default/',
    'group:default/a b',
    'group:default/x\n---\nkind: Template',
    'group:default/x"',
    ...hostileAnswers().map(([, v]) => v),
  ];
  for (const template of templates) {
    const { pages, fields } = answerFields(template);
    const refFields = fields.filter(f => f.entityRef);
    assert.deepEqual(
      refFields.map(f => f.name),
      ['owner', 'system'],
    );
    for (const field of refFields) {
      const kinds = field.name === 'owner' ? ['group', 'user'] : ['system'];
      for (const value of candidates) {
        assert.equal(
          schemaAccepts(pages, { ...template.values, [field.name]: value }),
          isEntityRef(value, kinds),
          `${template.metadata.name} ${field.name} = ${JSON.stringify(value)}`,
        );
      }
    }
  }
});
