// The shipped templates take their targets from the portal, not from a list
// of their own: any target the configuration accepts passes the template's
// schema (as the scaffolder re-validates it), so adding one to
// stackyard.targets needs no template change; the stage stays the
// template's own list. Pure schema checks, no scaffolder.
// Run: node --test scripts/templates-check/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { schemaAccepts } from './hostile.mjs';
import { repoRoot, requireTs } from './require.mjs';

const { ConfigReader } = requireTs('@backstage/config');
const { readTargets } = requireTs('@stackyard/plugin-stackyard-node');

const readYaml = (name, file) =>
  parse(readFileSync(join(repoRoot, 'templates', name, file), 'utf8'));

const templates = ['serverless-service', 'websocket-service', 'container-service'].map(name => ({
  name,
  ...readYaml(name, 'template.yaml'),
  values: readYaml(name, 'check-values.yaml').values,
}));

/** The form field `key` of a template, wherever its page declares it. */
function field(template, key) {
  for (const page of template.spec.parameters) {
    if (page.properties?.[key]) return page.properties[key];
  }
  return undefined;
}

test("every shipped template's target is the portal's target picker, with no list of its own", () => {
  for (const template of templates) {
    const target = field(template, 'target');
    assert.equal(target['ui:field'], 'StackyardTargetPicker', template.name);
    assert.equal(target.enum, undefined, template.name);
    assert.equal(target.const, undefined, template.name);
    const stage = field(template, 'stage');
    assert.equal(stage['ui:field'], 'StackyardStagePicker', template.name);
    assert.ok(stage.enum?.length > 0, `${template.name}: stage has an enum`);
  }
});

test('a target added to stackyard.targets passes every template unchanged', () => {
  const added = ['sandbox', 'sandbox-us', 'e2e-aws', `a${'b'.repeat(62)}`];
  // The configuration reader accepts these names ...
  const targets = readTargets(
    new ConfigReader({
      stackyard: {
        targets: added.map((name, i) => ({
          name,
          type: 'aws',
          accountId: String(100000000000 + i),
          region: 'eu-west-1',
        })),
      },
    }),
  );
  assert.deepEqual([...targets.keys()], added);
  for (const template of templates) {
    // ... and so does every template's schema, as the scaffolder checks it.
    for (const name of added) {
      assert.ok(
        schemaAccepts(template.spec.parameters, {
          ...template.values,
          target: name,
        }),
        `${template.name} refuses target ${name}`,
      );
    }
    // What no configuration can name is refused before any step runs.
    for (const bad of ['Prod', '-x', '', 'a b', 'x\n---', `a${'b'.repeat(63)}`]) {
      assert.ok(
        !schemaAccepts(template.spec.parameters, {
          ...template.values,
          target: bad,
        }),
        `${template.name} accepts target ${JSON.stringify(bad)}`,
      );
    }
    // The stage is still the template's own list.
    assert.ok(
      !schemaAccepts(template.spec.parameters, {
        ...template.values,
        stage: 'prod',
      }),
      `${template.name} accepts a stage it does not offer`,
    );
  }
});
