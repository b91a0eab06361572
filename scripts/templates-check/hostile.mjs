// Form answers are data: renders a template with hostile answers for every
// free-text field and proves that none of them changes the shape of any
// rendered file, and that answers the form's schema refuses are refused by
// the scaffolder itself (the dry-run API validates like task creation).
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { requireTs } from './require.mjs';

// The validator the scaffolder backend runs on the parameters.
const { validate } = createRequire(
  requireTs.resolve('@backstage/plugin-scaffolder-backend'),
)('jsonschema');

const TEMPLATE_DOCUMENT = [
  'apiVersion: scaffolder.backstage.io/v1beta3',
  'kind: Template',
  'metadata:',
  '  name: evil',
  '  annotations:',
  '    backstage.io/source-location: file:/etc/',
  'spec:',
  '  type: service',
  '  steps: []',
].join('\n');

/** Answers written to break out of whatever file they land in. */
export function hostileAnswers({ maxLength } = {}) {
  const breakout = `"'\\\n---\n`;
  const fill = Math.min(maxLength ?? 300, 300);
  return [
    ['a document break and a Template', `x\n---\n${TEMPLATE_DOCUMENT}\n`],
    ['a newline and a key', 'x\nevil: true'],
    ['a newline and a nested key', 'x\n  evil: true\n  annotations: {}'],
    ['template expressions', '${{ values.name }} {{ values.name }} {% raw %}'],
    ['quotes', `it's "quoted" '' ""`],
    ['backslashes', 'C:\\path\\n\\u0000\\'],
    ['YAML syntax', '- item: &a *a !!js/function # {x: [1]} | >'],
    ['JSON', '{"owner": "user:default/evil", "n": [1]}'],
    ['a scalar YAML would retype', 'true'],
    ['a number', '123'],
    ['markup', '<script>alert(1)</script> [x](javascript:alert(1))'],
    [
      'unicode (RTL, emoji, zero-width, BOM)',
      'café \u202Eevil\u202C 😀 \u200B\uFEFF',
    ],
    ['line separators', 'a\u2028b\u2029c\u0085d\r\ne\rf'],
    ['NUL and control characters', 'a\u0000b\u0007c\u001Bd'],
    ['300 characters', 'x'.repeat(300)],
    [`${fill} characters of breakout`, breakout.repeat(fill).slice(0, fill)],
    ['padding', '  spaced  '],
  ];
}

/** A template that only renders (its fetch:* steps): fast, no side effects. */
export function renderOnly(template) {
  return {
    ...template,
    spec: {
      ...template.spec,
      steps: template.spec.steps.filter(s => s.action?.startsWith('fetch:')),
      output: {},
    },
  };
}

const ENTITY_PICKERS = [
  'EntityPicker',
  'OwnerPicker',
  'MyGroupsPicker',
  'OwnedEntityPicker',
];

/** The form's pages (JSON schemas) and its free-text fields. */
export function answerFields(template) {
  const pages = [template.spec.parameters ?? []].flat();
  const fields = [];
  for (const page of pages) {
    for (const [name, schema] of Object.entries(page.properties ?? {})) {
      if (schema.type !== 'string' || schema.enum || 'const' in schema) {
        continue;
      }
      fields.push({
        name,
        schema,
        entityRef: ENTITY_PICKERS.includes(schema['ui:field']),
      });
    }
  }
  return { pages, fields };
}

/** Whether the scaffolder's validation accepts `values` (every page). */
export function schemaAccepts(pages, values) {
  return pages.every(page => validate(values, page).valid);
}

const DATA_FILE = /\.(ya?ml|json)$/;
const SCRIPT_FILE = /\.(c|m)?js$/;
const TAG = /<\/?[A-Za-z][^>]*>/g;

/** Leaf values by path ("a.b[0].c") of one parsed document. */
function leaves(value, path = '', out = new Map()) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
    if (value.length === 0) out.set(path, '[]');
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    for (const key of keys) {
      leaves(value[key], path ? `${path}.${JSON.stringify(key)}` : key, out);
    }
    if (keys.length === 0) out.set(path, '{}');
  } else {
    out.set(path, value);
  }
  return out;
}

/** Every document of a data file, as leaf maps, or the parse error. */
export function parseData(path, text) {
  if (path.endsWith('.json')) return [leaves(JSON.parse(text))];
  return parseAllDocuments(text).map(doc => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return leaves(doc.toJS());
  });
}

/**
 * How `hostile` (rendered with `value`) differs in shape from `baseline`
 * (rendered with `marker` in the same place). Data files must hold the same
 * documents and keys, with `value` exactly where `marker` was and every
 * other value unchanged; other files the same lines and markup, and scripts
 * must still compile.
 */
export function shapeProblems(path, baseline, hostile, { marker, value }) {
  if (DATA_FILE.test(path)) {
    let before;
    let after;
    try {
      before = parseData(path, baseline);
    } catch {
      return []; // Not data before either: nothing to compare.
    }
    try {
      after = parseData(path, hostile);
    } catch (error) {
      const message = String(error.message ?? error).split('\n')[0];
      return [`${path} no longer parses: ${message}`];
    }
    if (after.length !== before.length) {
      return [
        `${path} holds ${after.length} document(s) instead of ${before.length}`,
      ];
    }
    const problems = [];
    before.forEach((doc, i) => {
      const keys = [...doc.keys()];
      const added = [...after[i].keys()].filter(k => !doc.has(k));
      const missing = keys.filter(k => !after[i].has(k));
      if (added.length > 0 || missing.length > 0) {
        problems.push(
          `${path} document ${i + 1}: keys ${JSON.stringify({
            added,
            missing,
          })}`,
        );
        return;
      }
      for (const key of keys) {
        const was = doc.get(key);
        const expected =
          typeof was === 'string' ? was.split(marker).join(value) : was;
        if (after[i].get(key) !== expected) {
          problems.push(
            `${path} document ${i + 1} ${key}: ${JSON.stringify(
              after[i].get(key),
            )}, expected ${JSON.stringify(expected)}`,
          );
        }
      }
    });
    return problems;
  }
  const problems = [];
  const lines = text => text.split(/\r\n|\r|\n/).length;
  if (lines(hostile) !== lines(baseline)) {
    problems.push(
      `${path} has ${lines(hostile)} lines instead of ${lines(baseline)}`,
    );
  }
  const tags = text => text.match(TAG) ?? [];
  const before = tags(baseline);
  const gained = tags(hostile).filter(tag => !before.includes(tag));
  if (gained.length > 0) {
    problems.push(`${path} gained markup: ${gained.join(' ')}`);
  }
  if (SCRIPT_FILE.test(path) && compiles(baseline) && !compiles(hostile)) {
    problems.push(`${path} no longer compiles`);
  }
  return problems;
}

function compiles(code) {
  try {
    // Compiled as a function body (CommonJS), never run.
    new Script(`(function (exports, require, module) {\n${code}\n})`);
    return true;
  } catch {
    return false;
  }
}

const decode = contents =>
  new Map(
    contents.map(f => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString('utf8'),
    ]),
  );

/**
 * Renders `template` with a hostile answer in each free-text field in turn
 * and returns every problem: a changed file shape, an answer that does not
 * round-trip, an answer the schema refuses but the scaffolder accepted, or
 * an entity-ref field without a pattern. Also returns the counts.
 */
export async function hostileProblems({
  template,
  values,
  directoryContents,
  portal,
}) {
  const renderer = renderOnly(template);
  const { pages, fields } = answerFields(template);
  const problems = [];
  const counts = { rendered: 0, refused: 0 };
  const dryRun = answers =>
    portal.dryRun({ template: renderer, values: answers, directoryContents });

  for (const field of fields) {
    if (field.entityRef && !field.schema.pattern) {
      problems.push(
        `${field.name} is an entity reference without a pattern: give it one so the scaffolder refuses anything else`,
      );
    }
    const answers = hostileAnswers(field.schema);
    const accepted = answers.filter(([, value]) =>
      schemaAccepts(pages, { ...values, [field.name]: value }),
    );
    let baseline;
    let marker;
    if (accepted.length > 0) {
      // A distinctive answer marks where the field lands in each file.
      marker = ['stackyard-marker-q', 'stackyardmarkerq'].find(m =>
        schemaAccepts(pages, { ...values, [field.name]: m }),
      );
      marker ??= values[field.name];
      const { status, body } = await dryRun({
        ...values,
        [field.name]: marker,
      });
      if (status !== 200 || !body.directoryContents) {
        problems.push(`${field.name}: the baseline render failed (${status})`);
        continue;
      }
      baseline = decode(body.directoryContents);
    }
    for (const [label, value] of answers) {
      const what = `${field.name} = ${label}`;
      const { status, body } = await dryRun({ ...values, [field.name]: value });
      if (!accepted.some(([, v]) => v === value)) {
        counts.refused++;
        const named = (body.errors ?? []).some(e => e.path?.[0] === field.name);
        if (status !== 400 || !named) {
          problems.push(
            `${what}: the form's schema refuses it, but the scaffolder answered ${status} without refusing ${field.name}`,
          );
        }
        continue;
      }
      counts.rendered++;
      const failed = (body.log ?? []).find(e => e.body?.status === 'failed');
      if (status !== 200 || failed) {
        problems.push(
          `${what}: the render failed (${status}): ${
            failed?.body?.message ?? body.error?.message ?? ''
          }`,
        );
        continue;
      }
      const rendered = decode(body.directoryContents);
      const paths = new Set([...baseline.keys(), ...rendered.keys()]);
      for (const path of paths) {
        if (!baseline.has(path) || !rendered.has(path)) {
          problems.push(`${what}: ${path} appeared or disappeared`);
          continue;
        }
        for (const problem of shapeProblems(
          path,
          baseline.get(path),
          rendered.get(path),
          { marker, value },
        )) {
          problems.push(`${what}: ${problem}`);
        }
      }
    }
  }
  return { problems, counts };
}
