import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { parse } from 'yaml';

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minimum?: number;
  maximum?: number;
};

type Spec = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: any }> }
    >
  >;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, any>;
  };
};

/** The package's OpenAPI spec, parsed. */
export function loadSpec(): Spec {
  const file = resolvePackagePath(
    '@stackyard/plugin-stackyard-backend',
    'src/schema/openapi.yaml',
  );
  return parse(fs.readFileSync(file, 'utf8'));
}

/** `/environments/{id}` for the spec's path templates. */
export function specRoutes(spec: Spec): string[] {
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map(m => `${m.toUpperCase()} ${path}`),
  );
}

function resolve(spec: Spec, node: { $ref?: string }): any {
  if (!node.$ref) return node;
  const parts = node.$ref.replace(/^#\//, '').split('/');
  let target: any = spec;
  for (const part of parts) target = target[part];
  return resolve(spec, target);
}

/**
 * Every way `value` breaks `schema` (the OpenAPI 3.0 subset the spec uses:
 * type, enum, format date-time/uuid, required, properties,
 * additionalProperties, items, minimum, maximum); empty when it conforms.
 */
export function validate(
  spec: Spec,
  schemaNode: Schema,
  value: unknown,
  path = '$',
): string[] {
  const schema: Schema = resolve(spec, schemaNode);
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(
      `${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(
        ', ',
      )}`,
    );
  }
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [...problems, `${path}: expected an object`];
      }
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (record[key] === undefined)
          problems.push(`${path}.${key}: required`);
      }
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (property) {
          problems.push(...validate(spec, property, item, `${path}.${key}`));
        } else if (schema.additionalProperties === false) {
          problems.push(`${path}.${key}: not in the spec`);
        } else if (typeof schema.additionalProperties === 'object') {
          problems.push(
            ...validate(
              spec,
              schema.additionalProperties,
              item,
              `${path}.${key}`,
            ),
          );
        }
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value))
        return [...problems, `${path}: expected an array`];
      value.forEach((item, i) =>
        problems.push(
          ...validate(spec, schema.items ?? {}, item, `${path}[${i}]`),
        ),
      );
      break;
    case 'string':
      if (typeof value !== 'string')
        return [...problems, `${path}: expected a string`];
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
        problems.push(`${path}: not a date-time`);
      }
      if (schema.format === 'uuid' && !/^[0-9a-f-]{36}$/i.test(value)) {
        problems.push(`${path}: not a uuid`);
      }
      break;
    case 'integer':
    case 'number':
      if (
        typeof value !== 'number' ||
        (schema.type === 'integer' && !Number.isInteger(value))
      ) {
        return [...problems, `${path}: expected ${schema.type}`];
      }
      if (schema.minimum !== undefined && value < schema.minimum) {
        problems.push(`${path}: below ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        problems.push(`${path}: above ${schema.maximum}`);
      }
      break;
    case 'boolean':
      if (typeof value !== 'boolean')
        problems.push(`${path}: expected a boolean`);
      break;
    default:
      break;
  }
  return problems;
}

/**
 * Every way a response breaks the spec: the operation must exist, declare
 * the status, and the body must match the declared JSON schema.
 */
export function responseProblems(
  spec: Spec,
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): string[] {
  const operation = spec.paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${pathTemplate} is not in the spec`];
  const declared = operation.responses[String(status)];
  if (!declared) {
    return [`${method} ${pathTemplate} does not declare status ${status}`];
  }
  const response = resolve(spec, declared);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body ? [`${status} declares no body`] : [];
  return validate(spec, schema, body);
}

let loadedSpec: Spec | undefined;

/**
 * Asserts a route's response is one the spec declares for `method` and
 * `pathTemplate` (e.g. `/environments/{id}`), with a conforming JSON body
 * (none for 204), and returns it for further assertions.
 */
export function expectConforms<R extends { status: number; body: unknown }>(
  method: string,
  pathTemplate: string,
  res: R,
): R {
  loadedSpec ??= loadSpec();
  const body = res.status === 204 ? undefined : res.body;
  expect(
    responseProblems(loadedSpec, method, pathTemplate, res.status, body),
  ).toEqual([]);
  return res;
}
